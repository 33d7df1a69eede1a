package dev.keyturn.server.security;

/**
 * Whether a local account signs in with a second factor (implemented by the identity module, which
 * keeps the TOTP enrolments). HTTP Basic on the API carries only a password, so such an account
 * uses API tokens there.
 */
public interface SecondFactorPolicy {
  boolean required(String username);
}
