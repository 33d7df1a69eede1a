package dev.keyturn.server.security;

import dev.keyturn.server.security.internal.LoginThrottle;
import org.springframework.stereotype.Component;

/**
 * The password throttle's counts, for the other proofs a staff member types (a TOTP code, a
 * recovery code): guessing those meets the same growing delays, per user and per address.
 */
@Component
public class SignInAttempts {
  private final LoginThrottle throttle;

  SignInAttempts(LoginThrottle throttle) {
    this.throttle = throttle;
  }

  /**
   * @throws LoginThrottledException while a delay runs; the code is then not even checked
   */
  public void check(String username, String address) {
    throttle.check(username, address);
  }

  public void failed(String username, String address) {
    throttle.failed(username, address);
  }

  public void succeeded(String username) {
    throttle.succeeded(username);
  }
}
