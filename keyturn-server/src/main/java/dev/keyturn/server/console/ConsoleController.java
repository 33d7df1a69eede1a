package dev.keyturn.server.console;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in page; the console's front door is {@link DashboardController}. */
@Controller
class ConsoleController {

  @GetMapping(ConsoleSecurity.LOGIN)
  String login() {
    return "console/login";
  }
}
