package dev.keyturn.server.console.admin;

import dev.keyturn.server.clock.TestClockController;
import dev.keyturn.server.config.OidcProperties;
import dev.keyturn.server.console.FormActions;
import dev.keyturn.server.identity.StaffSignIn;
import dev.keyturn.server.identity.TwoFactor;
import dev.keyturn.server.security.Actor;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.security.UserController;
import dev.keyturn.server.signingkey.SigningKeys;
import dev.keyturn.server.web.KeyturnServerException;
import dev.keyturn.server.web.ValidationException;
import dev.keyturn.server.web.health.SmtpHealthIndicator;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The admin page (ADMIN, by {@code ConsoleSecurity}): staff users and their roles, signing keys,
 * and the test clock when the server has one. Changes go through the same calls as the API's.
 */
@Controller
class AdminController {
  private final UserController users;
  private final SigningKeys keys;
  private final ObjectProvider<TestClockController> testClock;
  private final SmtpHealthIndicator smtp;
  private final TwoFactor twoFactor;
  private final StaffSignIn signIn;
  private final OidcProperties oidc;

  AdminController(
      TwoFactor twoFactor,
      StaffSignIn signIn,
      OidcProperties oidc,
      UserController users,
      SigningKeys keys,
      ObjectProvider<TestClockController> testClock,
      SmtpHealthIndicator smtp) {
    this.twoFactor = twoFactor;
    this.signIn = signIn;
    this.oidc = oidc;
    this.users = users;
    this.keys = keys;
    this.testClock = testClock;
    this.smtp = smtp;
  }

  @GetMapping("/console/admin")
  String page(Model model) {
    model.addAttribute("users", users.list());
    model.addAttribute("roles", Role.values());
    model.addAttribute("totpUsers", twoFactor.enrolledUsernames());
    model.addAttribute("totpRequired", twoFactor.requiredForAll());
    model.addAttribute("sso", signIn.singleSignOnEnabled());
    model.addAttribute("ssoName", signIn.singleSignOnName());
    model.addAttribute("localSignIn", oidc.localSignIn());
    List<SigningKeys.PublicKeyInfo> all = keys.list();
    model.addAttribute("keys", all);
    model.addAttribute(
        "nextKey",
        all.stream().filter(k -> k.state() == SigningKeys.State.NEXT).findFirst().orElse(null));
    TestClockController clock = testClock.getIfAvailable();
    model.addAttribute("clock", clock == null ? null : clock.show());
    model.addAttribute("smtp", smtp.health());
    return "console/admin/page";
  }

  @PostMapping("/console/admin/users")
  String createUser(
      @RequestParam(defaultValue = "") String username,
      @RequestParam(defaultValue = "") String password,
      @RequestParam(defaultValue = "") String role,
      RedirectAttributes redirect) {
    return FormActions.redirect(
        "/console/admin",
        redirect,
        () -> {
          Role r = role(role);
          users.create(new UserController.NewUser(username.strip(), password, r));
          return "User " + username.strip() + " created with role " + r + ".";
        });
  }

  @PostMapping("/console/admin/users/{username}/disable")
  String disableUser(@PathVariable String username, RedirectAttributes redirect) {
    return FormActions.redirect(
        "/console/admin",
        redirect,
        () -> {
          users.disable(username);
          return "User " + username + " disabled: they can no longer sign in or use their tokens.";
        });
  }

  /** Another admin's reset: the user sets up a new second factor at their next sign-in. */
  @PostMapping("/console/admin/users/{username}/reset-totp")
  String resetTotp(
      @PathVariable String username, HttpServletRequest request, RedirectAttributes redirect) {
    return FormActions.redirect(
        "/console/admin",
        redirect,
        () -> {
          twoFactor.reset(
              username, Actor.current().name(), Actor.currentUsername(), request.getRemoteAddr());
          return "Second factor of "
              + username
              + " reset: they set up a new one at their next sign-in, and their recovery codes no"
              + " longer work.";
        });
  }

  @PostMapping("/console/admin/sign-in-policy")
  String signInPolicy(
      @RequestParam(name = "totp_required", required = false) String required,
      HttpServletRequest request,
      RedirectAttributes redirect) {
    return FormActions.redirect(
        "/console/admin",
        redirect,
        () -> {
          boolean on = "yes".equals(required);
          twoFactor.requireForAll(on, Actor.current().name(), request.getRemoteAddr());
          return on
              ? "Every local account now signs in with a second factor; those without one set it up"
                  + " at their next sign-in."
              : "A second factor is now up to each local account.";
        });
  }

  /** Publishing the next key changes no signature, so it needs no confirmation. */
  @PostMapping("/console/admin/signing-keys/next")
  String prepareNext(RedirectAttributes redirect) {
    return FormActions.redirect(
        "/console/admin",
        redirect,
        () -> {
          SigningKeys.Prepared prepared = keys.prepareNext(Actor.current().name());
          String id = prepared.key().keyId();
          return prepared.created()
              ? "Next signing key "
                  + id
                  + " prepared. It signs nothing until you activate it: ship its public key first."
              : "Next signing key " + id + " was already prepared; nothing was made.";
        });
  }

  /** Rotation is for good: the page asks to confirm, and the server insists on it. */
  @PostMapping("/console/admin/signing-keys/rotate")
  String rotate(@RequestParam(required = false) String confirm, RedirectAttributes redirect) {
    return FormActions.redirect(
        "/console/admin",
        redirect,
        () -> {
          if (!"yes".equals(confirm)) {
            throw ValidationException.of(
                "confirm", "tick the box to confirm the rotation; nothing was changed");
          }
          SigningKeys.PublicKeyInfo key = keys.rotate(Actor.current().name());
          return "Signing key rotated: new licenses are signed with "
              + key.keyId()
              + ". Clients must trust it before they receive one.";
        });
  }

  /** The public half, as {@code keyturn license verify --trust} and clients read it. */
  @GetMapping("/console/admin/signing-keys/{keyId}/public.pem")
  ResponseEntity<String> publicKey(@PathVariable String keyId) {
    SigningKeys.PublicKeyInfo key =
        keys.find(keyId).orElseThrow(() -> KeyturnServerException.notFound("signing key", keyId));
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType("application/x-pem-file"))
        .header(
            HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + keyId + ".public.pem\"")
        .body(key.publicKeyPem());
  }

  private static Role role(String name) {
    try {
      return Role.valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ValidationException.of("role", "one of ADMIN, SALES, ENGINEER, SUPPORT, READONLY");
    }
  }
}
