package dev.keyturn.server.console.signin;

import dev.keyturn.server.identity.StaffSignIn;
import dev.keyturn.server.identity.TwoFactor;
import dev.keyturn.server.security.Actor;
import dev.keyturn.server.web.KeyturnServerException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * TOTP enrolment: a QR code (and the secret spelled out) for the authenticator app, a code typed
 * back to prove it arrived, then the ten recovery codes, shown this once. Reached in two ways:
 * during sign-in, when the admin's policy asks for a second factor the account does not have yet
 * (the sign-in completes with the enrolment); or from the signed-in staff member's account page.
 * The secret waits in the session until confirmed, so an abandoned enrolment leaves nothing.
 */
@Controller
class EnrolmentController {
  static final String ACCOUNT_ENROL = "/console/account/totp";
  private static final String ENROLMENT = EnrolmentController.class.getName() + ".ENROLMENT";

  private final StaffSignIn signIn;
  private final TwoFactor twoFactor;

  EnrolmentController(StaffSignIn signIn, TwoFactor twoFactor) {
    this.signIn = signIn;
    this.twoFactor = twoFactor;
  }

  @GetMapping(StaffSignIn.ENROL_PAGE)
  String duringSignIn(HttpServletRequest request, Model model) {
    Optional<StaffSignIn.Pending> pending = signIn.pending(request);
    if (pending.isEmpty() || !pending.get().mustEnrol()) {
      return pending.isEmpty()
          ? "redirect:/console/login?expired"
          : "redirect:" + StaffSignIn.SECOND_FACTOR_PAGE;
    }
    return show(
        request.getSession(), pending.get().username(), StaffSignIn.ENROL_PAGE, true, model, null);
  }

  @PostMapping(StaffSignIn.ENROL_PAGE)
  String confirmDuringSignIn(
      @RequestParam(defaultValue = "") String code,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    Optional<StaffSignIn.Pending> pending = signIn.pending(request);
    if (pending.isEmpty() || !pending.get().mustEnrol()) {
      return "redirect:/console/login?expired";
    }
    HttpSession session = request.getSession();
    String username = pending.get().username();
    Optional<List<String>> codes =
        confirm(session, username, code, request, model, StaffSignIn.ENROL_PAGE, true);
    if (codes.isEmpty()) {
      return "console/signin/enrol";
    }
    String next = signIn.finish(request, response, pending.get(), "password+totp_enrolment");
    model.addAttribute("codes", codes.get());
    model.addAttribute("next", next);
    return "console/signin/recovery-codes";
  }

  @GetMapping(ACCOUNT_ENROL)
  String fromAccount(HttpServletRequest request, Model model) {
    return show(request.getSession(), Actor.currentUsername(), ACCOUNT_ENROL, false, model, null);
  }

  @PostMapping(ACCOUNT_ENROL)
  String confirmFromAccount(
      @RequestParam(defaultValue = "") String code, HttpServletRequest request, Model model) {
    Optional<List<String>> codes =
        confirm(
            request.getSession(),
            Actor.currentUsername(),
            code,
            request,
            model,
            ACCOUNT_ENROL,
            false);
    if (codes.isEmpty()) {
      return "console/signin/enrol";
    }
    model.addAttribute("codes", codes.get());
    model.addAttribute("next", AccountController.PAGE);
    return "console/signin/recovery-codes";
  }

  private String show(
      HttpSession session,
      String username,
      String action,
      boolean signingIn,
      Model model,
      String error) {
    TwoFactor.Enrolment enrolment = enrolmentOf(session, username);
    model.addAttribute("enrolment", enrolment);
    model.addAttribute("action", action);
    model.addAttribute("signingIn", signingIn);
    model.addAttribute("error", error);
    return "console/signin/enrol";
  }

  private Optional<List<String>> confirm(
      HttpSession session,
      String username,
      String code,
      HttpServletRequest request,
      Model model,
      String action,
      boolean signingIn) {
    TwoFactor.Enrolment enrolment = enrolmentOf(session, username);
    try {
      List<String> codes = twoFactor.confirm(enrolment, code, request.getRemoteAddr());
      session.removeAttribute(ENROLMENT);
      return Optional.of(codes);
    } catch (KeyturnServerException e) {
      show(session, username, action, signingIn, model, SecondFactorController.reason(e));
      return Optional.empty();
    }
  }

  /** The enrolment under way in this session, or a new one: a reload shows the same QR code. */
  private TwoFactor.Enrolment enrolmentOf(HttpSession session, String username) {
    if (session.getAttribute(ENROLMENT) instanceof TwoFactor.Enrolment e
        && e.username().equals(username)) {
      return e;
    }
    TwoFactor.Enrolment fresh = twoFactor.begin(username);
    session.setAttribute(ENROLMENT, fresh);
    return fresh;
  }
}
