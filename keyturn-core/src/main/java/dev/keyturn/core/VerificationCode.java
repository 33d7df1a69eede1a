package dev.keyturn.core;

/**
 * The stable outcome codes of docs/design.md §3. The same names appear in Java, the CLI's JSON and
 * HTTP problem responses, so they must never be renamed.
 */
public enum VerificationCode {
  VALID,
  MALFORMED,
  UNSUPPORTED_FORMAT,
  UNKNOWN_KEY_ID,
  SIGNATURE_MISMATCH,
  NOT_YET_VALID,
  EXPIRED,
  INSTANCE_MISMATCH,
  USAGE_EXCEEDS_LIMITS,
  REVOKED
}
