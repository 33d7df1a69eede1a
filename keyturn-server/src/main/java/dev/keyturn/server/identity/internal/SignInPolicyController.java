package dev.keyturn.server.identity.internal;

import dev.keyturn.server.config.OidcProperties;
import dev.keyturn.server.identity.TwoFactor;
import dev.keyturn.server.security.Actor;
import dev.keyturn.server.web.OpenApiConfiguration;
import dev.keyturn.server.web.ValidationException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
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

  record TotpState(String username, boolean totpEnrolled) {}

  @GetMapping("/api/v1/sign-in-policy")
  @Operation(
      summary = "Show the staff sign-in policy",
      description =
          "Whether every local account must sign in with a second factor (TOTP), and whether"
              + " single sign-on is configured with who may still use a password. ADMIN.")
  @ApiResponse(responseCode = "200", description = "The policy")
  Policy show() {
    return new Policy(twoFactor.requiredForAll(), oidc.enabled(), oidc.localSignIn());
  }

  @PutMapping("/api/v1/sign-in-policy")
  @Operation(
      summary = "Require a second factor for every local account, or not",
      description =
          "With totp_required, a local account without TOTP is sent to set it up right after its"
              + " password, and HTTP Basic stops working for local accounts (use API tokens)."
              + " Audited as auth.sign_in_policy_changed with the caller's address. ADMIN.")
  @ApiResponse(responseCode = "200", description = "The policy now")
  @ApiResponse(responseCode = "400", ref = OpenApiConfiguration.INVALID)
  Policy change(@RequestBody PolicyChange body, HttpServletRequest request) {
    if (body.totpRequired() == null) {
      throw ValidationException.of("totp_required", "is required: true or false");
    }
    twoFactor.requireForAll(body.totpRequired(), Actor.current().name(), request.getRemoteAddr());
    return show();
  }

  /** Another admin's reset of a user's TOTP and recovery codes (audited as auth.totp_reset). */
  @PostMapping("/api/v1/users/{username}/totp/reset")
  @Operation(
      summary = "Reset a user's second factor",
      description =
          "Deletes the user's TOTP secret and recovery codes; they set up a new one at their next"
              + " sign-in (or when the policy asks). Another admin's job: nobody resets their own."
              + " Audited as auth.totp_reset with the caller's address. ADMIN.")
  @ApiResponse(responseCode = "200", description = "Reset")
  @ApiResponse(responseCode = "409", ref = OpenApiConfiguration.CONFLICT)
  TotpState reset(@PathVariable String username, HttpServletRequest request) {
    twoFactor.reset(
        username, Actor.current().name(), Actor.currentUsername(), request.getRemoteAddr());
    return new TotpState(username, false);
  }
}
