package dev.keyturn.server.identity.internal;

import dev.keyturn.server.config.OidcProperties;
import dev.keyturn.server.identity.TwoFactor;
import dev.keyturn.server.security.Actor;
import dev.keyturn.server.web.ValidationException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The staff sign-in policy and TOTP resets over the API (ADMIN, by {@code SecurityConfig}). */
@RestController
class SignInPolicyController {
  private final TwoFactor twoFactor;
  private final OidcProperties oidc;

  SignInPolicyController(TwoFactor twoFactor, OidcProperties oidc) {
    this.twoFactor = twoFactor;
    this.oidc = oidc;
  }

  /**
   * @param totpRequired every local account signs in with a second factor
   * @param singleSignOn whether the OpenID Connect sign-in is configured ({@code KEYTURN_OIDC_*})
   * @param localSignIn who may still use a password while it is: all, none, or the break-glass list
   */
  record Policy(boolean totpRequired, boolean singleSignOn, String localSignIn) {}

  record PolicyChange(Boolean totpRequired) {}

  record TotpState(String username, boolean totpEnrolled, List<String> note) {}

  @GetMapping("/api/v1/sign-in-policy")
  Policy show() {
    return new Policy(twoFactor.requiredForAll(), oidc.enabled(), oidc.localSignIn());
  }

  @PutMapping("/api/v1/sign-in-policy")
  Policy change(@RequestBody PolicyChange body, HttpServletRequest request) {
    if (body.totpRequired() == null) {
      throw ValidationException.of("totp_required", "is required: true or false");
    }
    twoFactor.requireForAll(body.totpRequired(), Actor.current().name(), request.getRemoteAddr());
    return show();
  }

  /** Another admin's reset of a user's TOTP and recovery codes (audited as auth.totp_reset). */
  @PostMapping("/api/v1/users/{username}/totp/reset")
  TotpState reset(@PathVariable String username, HttpServletRequest request) {
    twoFactor.reset(
        username, Actor.current().name(), Actor.currentUsername(), request.getRemoteAddr());
    return new TotpState(
        username, false, List.of("they set up a new second factor at their next sign-in"));
  }
}
