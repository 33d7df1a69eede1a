package dev.keyturn.server.security;

import org.springframework.security.core.AuthenticationException;

/**
 * A password sign-in refused by policy rather than by the password: the account signs in through
 * the identity provider, or (on the API) it has a second factor that HTTP Basic cannot carry. The
 * message says what to do instead; it never says whether the password was right.
 */
public final class PasswordSignInRefusedException extends AuthenticationException {
  private final String reason;

  public PasswordSignInRefusedException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** For the audit log: {@code local_sign_in_off} or {@code second_factor_required}. */
  public String reason() {
    return reason;
  }
}
