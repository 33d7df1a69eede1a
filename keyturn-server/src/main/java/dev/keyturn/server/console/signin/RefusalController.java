package dev.keyturn.server.console.signin;

import dev.keyturn.server.identity.StaffSignIn;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** Why the identity provider's sign-in did not let the person in, in words they can act on. */
@Controller
class RefusalController {
  private final StaffSignIn signIn;

  RefusalController(StaffSignIn signIn) {
    this.signIn = signIn;
  }

  @GetMapping(StaffSignIn.REFUSED_PAGE)
  String page(HttpServletRequest request, Model model) {
    model.addAttribute(
        "reason",
        signIn
            .refusal(request)
            .orElse("The sign-in did not complete. Start again from the sign-in page."));
    model.addAttribute("ssoName", signIn.singleSignOnName());
    return "console/signin/refused";
  }
}
