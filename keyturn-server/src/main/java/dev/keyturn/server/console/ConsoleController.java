package dev.keyturn.server.console;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in page and the console's front door. */
@Controller
class ConsoleController {

  @GetMapping(ConsoleSecurity.LOGIN)
  String login() {
    return "console/login";
  }

  @GetMapping({"/console", "/console/"})
  String dashboard() {
    return "console/dashboard";
  }
}
