package dev.keyturn.core.verify;

import dev.keyturn.core.VerificationCode;
import dev.keyturn.core.license.SignedLicense;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of verifying a license file: a stable code, a message a person can act on, and the
 * license when the file could be read at all (present for every code but MALFORMED and
 * UNSUPPORTED_FORMAT).
 */
public record Verification(VerificationCode code, String message, Optional<SignedLicense> license) {

  public Verification {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(license, "license");
  }

  public boolean isValid() {
    return code == VerificationCode.VALID;
  }

  static Verification of(VerificationCode code, String message, SignedLicense license) {
    return new Verification(code, message, Optional.ofNullable(license));
  }
}
