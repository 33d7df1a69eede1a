package dev.keyturn.server.console.signin;

import dev.keyturn.server.identity.StaffSignIn;
import dev.keyturn.server.identity.TwoFactor;
import dev.keyturn.server.security.LoginThrottledException;
import dev.keyturn.server.web.KeyturnServerException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The second step of a password sign-in: a code from the authenticator app, or a recovery code.
 * Open to the session that holds a half-finished sign-in only; anyone else starts over.
 */
@Controller
class SecondFactorController {
  private final StaffSignIn signIn;
  private final TwoFactor twoFactor;

  SecondFactorController(StaffSignIn signIn, TwoFactor twoFactor) {
    this.signIn = signIn;
    this.twoFactor = twoFactor;
  }

  @GetMapping(StaffSignIn.SECOND_FACTOR_PAGE)
  String page(HttpServletRequest request, Model model) {
    Optional<StaffSignIn.Pending> pending = signIn.pending(request);
    if (pending.isEmpty() || pending.get().mustEnrol()) {
      return startOver(pending);
    }
    model.addAttribute("username", pending.get().username());
    return "console/signin/second-factor";
  }

  @PostMapping(StaffSignIn.SECOND_FACTOR_PAGE)
  String check(
      @RequestParam(defaultValue = "") String code,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    Optional<StaffSignIn.Pending> pending = signIn.pending(request);
    if (pending.isEmpty() || pending.get().mustEnrol()) {
      return startOver(pending);
    }
    String username = pending.get().username();
    try {
      TwoFactor.Proof proof = twoFactor.verify(username, code, request.getRemoteAddr());
      String method = proof == TwoFactor.Proof.TOTP ? "password+totp" : "password+recovery_code";
      return "redirect:" + signIn.finish(request, response, pending.get(), method);
    } catch (KeyturnServerException | LoginThrottledException e) {
      model.addAttribute("username", username);
      model.addAttribute("error", reason(e));
      return "console/signin/second-factor";
    }
  }

  /** "Not you?": forget the half-finished sign-in. */
  @PostMapping("/console/login/start-over")
  String abandon(HttpServletRequest request) {
    signIn.abandon(request);
    return "redirect:/console/login";
  }

  static String startOver(Optional<StaffSignIn.Pending> pending) {
    if (pending.isPresent()) {
      return "redirect:" + StaffSignIn.ENROL_PAGE;
    }
    return "redirect:/console/login?expired";
  }

  static String reason(RuntimeException e) {
    // A validation error's message starts with the field's name; the page names the field itself.
    String message = e.getMessage();
    return message.startsWith("code: ") ? capitalised(message.substring(6)) : message;
  }

  private static String capitalised(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1) + ".";
  }
}
