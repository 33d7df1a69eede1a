package dev.keyturn.server.console.signin;

import dev.keyturn.server.identity.TwoFactor;
import dev.keyturn.server.security.Actor;
import dev.keyturn.server.security.ExternalStaff;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The signed-in staff member's own sign-in: how they sign in, and their second factor. */
@Controller
class AccountController {
  static final String PAGE = "/console/account";

  private final TwoFactor twoFactor;
  private final ExternalStaff staff;

  AccountController(TwoFactor twoFactor, ExternalStaff staff) {
    this.twoFactor = twoFactor;
    this.staff = staff;
  }

  @GetMapping(PAGE)
  String page(Model model) {
    String username = Actor.currentUsername();
    boolean external = staff.signsInWithProvider(username);
    boolean enrolled = !external && twoFactor.enrolled(username);
    model.addAttribute("external", external);
    model.addAttribute("enrolled", enrolled);
    model.addAttribute("required", !external && twoFactor.requiredForAll());
    model.addAttribute("recoveryCodesLeft", enrolled ? twoFactor.recoveryCodesLeft(username) : 0);
    return "console/signin/account";
  }
}
