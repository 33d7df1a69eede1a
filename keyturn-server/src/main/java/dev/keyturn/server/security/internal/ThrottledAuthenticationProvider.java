package dev.keyturn.server.security.internal;

import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.config.OidcProperties;
import dev.keyturn.server.security.LoginThrottledException;
import dev.keyturn.server.security.PasswordSignInRefusedException;
import dev.keyturn.server.security.SecondFactorPolicy;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;
import org.springframework.security.authentication.AccountStatusException;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Password sign-in (HTTP Basic and the console form) behind the {@link LoginThrottle}, the
 * break-glass policy ({@code KEYTURN_OIDC_LOCAL_SIGN_IN}) and, for HTTP Basic, the second factor.
 * Every refusal is in the audit log with the client's address.
 */
final class ThrottledAuthenticationProvider implements AuthenticationProvider {
  static final String SIGN_IN_FAILED = "auth.sign_in_failed";

  private final AuthenticationProvider passwords;
  private final LoginThrottle throttle;
  private final OidcProperties oidc;
  private final ObjectProvider<SecondFactorPolicy> secondFactors;
  private final EventLog events;

  ThrottledAuthenticationProvider(
      AuthenticationProvider passwords,
      LoginThrottle throttle,
      OidcProperties oidc,
      ObjectProvider<SecondFactorPolicy> secondFactors,
      EventLog events) {
    this.passwords = passwords;
    this.throttle = throttle;
    this.oidc = oidc;
    this.secondFactors = secondFactors;
    this.events = events;
  }

  @Override
  public Authentication authenticate(Authentication attempt) {
    String username = attempt.getName();
    String address =
        attempt.getDetails() instanceof WebAuthenticationDetails web
            ? web.getRemoteAddress()
            : "unknown";
    boolean api = attempt.getDetails() instanceof ApiPasswordDetails;
    String method = api ? "api_password" : "password";
    try {
      if (!oidc.localSignInAllowed(username)) {
        // Said for any name not on the break-glass list, so it tells nobody who exists.
        refused(username, address, method, "local_sign_in_off");
        throw new PasswordSignInRefusedException(
            "local_sign_in_off",
            "Sign in with "
                + oidc.displayName()
                + ": password sign-in is kept for break-glass"
                + " accounts.");
      }
      try {
        throttle.check(username, address);
      } catch (LoginThrottledException e) {
        refused(username, address, method, "throttled");
        throw e;
      }
      Authentication result;
      try {
        result = passwords.authenticate(attempt);
      } catch (BadCredentialsException e) {
        throttle.failed(username, address);
        refused(username, address, method, "bad_credentials");
        throw e;
      } catch (AccountStatusException e) {
        refused(username, address, method, "disabled");
        throw e;
      }
      boolean secondFactorOwed = secondFactors.orderedStream().anyMatch(p -> p.required(username));
      if (!secondFactorOwed) {
        throttle.succeeded(username);
      }
      // Otherwise the count is cleared only when the second factor is proven too: typing the
      // password again must not buy another round of code guesses.
      if (api && secondFactorOwed) {
        refused(username, address, method, "second_factor_required");
        throw new PasswordSignInRefusedException(
            "second_factor_required",
            "This account signs in with a second factor, which HTTP Basic cannot carry: use an API"
                + " token (console → API tokens).");
      }
      return result;
    } catch (DataAccessException e) {
      // The database does not answer: the password could not be checked (a 503, not a 401).
      throw new InternalAuthenticationServiceException("the database does not answer", e);
    }
  }

  private void refused(String username, String address, String method, String reason) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("username", username);
    metadata.put("address", address);
    metadata.put("method", method);
    metadata.put("reason", reason);
    events.record(SIGN_IN_FAILED, username, null, null, metadata);
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
  }
}
