package dev.keyturn.server.security.internal;

import org.springframework.dao.DataAccessException;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/** Password sign-in (HTTP Basic and the console form) behind the {@link LoginThrottle}. */
final class ThrottledAuthenticationProvider implements AuthenticationProvider {
  private final AuthenticationProvider passwords;
  private final LoginThrottle throttle;

  ThrottledAuthenticationProvider(AuthenticationProvider passwords, LoginThrottle throttle) {
    this.passwords = passwords;
    this.throttle = throttle;
  }

  @Override
  public Authentication authenticate(Authentication attempt) {
    String username = attempt.getName();
    String address =
        attempt.getDetails() instanceof WebAuthenticationDetails web
            ? web.getRemoteAddress()
            : "unknown";
    try {
      throttle.check(username, address);
      Authentication result;
      try {
        result = passwords.authenticate(attempt);
      } catch (BadCredentialsException e) {
        throttle.failed(username, address);
        throw e;
      }
      throttle.succeeded(username);
      return result;
    } catch (DataAccessException e) {
      // The database does not answer: the password could not be checked (a 503, not a 401).
      throw new InternalAuthenticationServiceException("the database does not answer", e);
    }
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
  }
}
