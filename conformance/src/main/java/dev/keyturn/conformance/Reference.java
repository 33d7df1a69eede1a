package dev.keyturn.conformance;

import dev.keyturn.core.crypto.KeyRing;
import dev.keyturn.core.license.LicenseFormatException;
import dev.keyturn.core.license.LicenseReader;
import dev.keyturn.core.license.SignedLicense;
import dev.keyturn.core.verify.LicenseVerifier;
import dev.keyturn.core.verify.Verification;
import java.time.Instant;
import java.util.Optional;

/**
 * Verification as an SDK does it: the file's bytes are read (UTF-8, limits, TOML), then verified.
 * The same two steps as {@code keyturn license verify}.
 */
final class Reference {
  private Reference() {}

  static Verification verify(byte[] file, KeyRing ring, Instant at, Optional<String> domain) {
    SignedLicense signed;
    try {
      signed = new LicenseReader().read(file);
    } catch (LicenseFormatException e) {
      return new Verification(e.code(), e.getMessage(), Optional.empty());
    }
    return new LicenseVerifier(ring).verify(signed, at, domain);
  }

  /** The authenticity checks alone, or empty when the file cannot be read. */
  static Optional<Verification> verifySignature(byte[] file, KeyRing ring) {
    try {
      return Optional.of(new LicenseVerifier(ring).verifySignature(new LicenseReader().read(file)));
    } catch (LicenseFormatException e) {
      return Optional.empty();
    }
  }
}
