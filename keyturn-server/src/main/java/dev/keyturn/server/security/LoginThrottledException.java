package dev.keyturn.server.security;

import java.time.Instant;
import org.springframework.security.core.AuthenticationException;

/** A sign-in refused without checking the password: too many recent failures. */
public final class LoginThrottledException extends AuthenticationException {
  private final Instant retryAt;
  private final long retryAfterSeconds;

  public LoginThrottledException(Instant retryAt, long retryAfterSeconds) {
    super(
        "Too many failed sign-ins for this user or from your address. Try again in "
            + retryAfterSeconds
            + " s (at "
            + retryAt
            + ").");
    this.retryAt = retryAt;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public Instant retryAt() {
    return retryAt;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
