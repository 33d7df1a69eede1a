package dev.keyturn.server.console;

import dev.keyturn.server.security.LoginThrottledException;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.web.WebAttributes;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in page; the console's front door is {@link DashboardController}. */
@Controller
class ConsoleController {

  @GetMapping(ConsoleSecurity.LOGIN)
  String login(HttpSession session, Model model) {
    // After too many failures the page says when to try again, not "wrong password".
    if (session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION)
        instanceof LoginThrottledException throttled) {
      model.addAttribute("throttled", throttled.getMessage());
    }
    return "console/login";
  }
}
