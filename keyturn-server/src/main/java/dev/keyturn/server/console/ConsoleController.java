package dev.keyturn.server.console;

import dev.keyturn.server.identity.StaffSignIn;
import dev.keyturn.server.security.LoginThrottledException;
import dev.keyturn.server.security.PasswordSignInRefusedException;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.web.WebAttributes;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in page; the console's front door is {@link DashboardController}. */
@Controller
class ConsoleController {
  private final StaffSignIn signIn;

  ConsoleController(StaffSignIn signIn) {
    this.signIn = signIn;
  }

  @GetMapping(ConsoleSecurity.LOGIN)
  String login(HttpSession session, Model model) {
    Object failure = session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
    // After too many failures the page says when to try again, not "wrong password"; a password
    // refused by policy says what to use instead.
    if (failure instanceof LoginThrottledException
        || failure instanceof PasswordSignInRefusedException) {
      model.addAttribute("throttled", ((RuntimeException) failure).getMessage());
    }
    model.addAttribute("sso", signIn.singleSignOnEnabled());
    model.addAttribute("ssoName", signIn.singleSignOnName());
    model.addAttribute("ssoStart", signIn.singleSignOnStart());
    model.addAttribute("passwordForm", signIn.passwordFormShown());
    return "console/login";
  }
}
