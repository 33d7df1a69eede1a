package dev.keyturn.core.verify;

import dev.keyturn.core.VerificationCode;
import dev.keyturn.core.crypto.Ed25519;
import dev.keyturn.core.crypto.KeyRing;
import dev.keyturn.core.license.InstanceDomain;
import dev.keyturn.core.license.License;
import dev.keyturn.core.license.LicenseFormatException;
import dev.keyturn.core.license.LicenseReader;
import dev.keyturn.core.license.SignedLicense;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies license files against a {@link KeyRing}. Checks run from the most fundamental to the
 * most transient: readable, known format, trusted key, good signature, right instance, then the
 * validity window, so the code returned names the problem that must be fixed first.
 */
public final class LicenseVerifier {
  private final KeyRing keyRing;
  private final LicenseReader reader;

  public LicenseVerifier(KeyRing keyRing, LicenseReader reader) {
    this.keyRing = Objects.requireNonNull(keyRing, "keyRing");
    this.reader = Objects.requireNonNull(reader, "reader");
  }

  public LicenseVerifier(KeyRing keyRing) {
    this(keyRing, new LicenseReader());
  }

  /**
   * Full verification of a file's text at an instant.
   *
   * @param instanceDomain the product's own instance domain, or empty when it has none to check
   */
  public Verification verify(String text, Instant at, Optional<String> instanceDomain) {
    SignedLicense signed;
    try {
      signed = reader.read(text);
    } catch (LicenseFormatException e) {
      return new Verification(e.code(), e.getMessage(), Optional.empty());
    }
    return verify(signed, at, instanceDomain);
  }

  public Verification verify(SignedLicense signed, Instant at, Optional<String> instanceDomain) {
    Verification authentic = verifySignature(signed);
    if (!authentic.isValid()) {
      return authentic;
    }
    License license = signed.license();
    if (license.instanceDomain().isPresent() && instanceDomain.isPresent()) {
      String expected = license.instanceDomain().get();
      String actual = InstanceDomain.normalize(instanceDomain.get());
      if (!expected.equals(actual)) {
        return Verification.of(
            VerificationCode.INSTANCE_MISMATCH,
            "this license is for the instance '"
                + expected
                + "', not '"
                + actual
                + "'; ask your vendor for a license issued to this instance",
            signed);
      }
    }
    if (at.isBefore(license.notBefore())) {
      return Verification.of(
          VerificationCode.NOT_YET_VALID,
          "this license becomes valid at " + license.notBefore() + "; it is now " + at,
          signed);
    }
    if (!at.isBefore(license.expiresAt())) {
      return Verification.of(
          VerificationCode.EXPIRED,
          "this license expired at "
              + license.expiresAt()
              + "; it is now "
              + at
              + ". Install the renewed license",
          signed);
    }
    return Verification.of(
        VerificationCode.VALID,
        "valid for " + license.customer() + " until " + license.expiresAt(),
        signed);
  }

  /**
   * Only the authenticity checks (trusted key, good signature), whatever the time: an installed
   * license that has expired is still authentic and still gets its grace period from the lifecycle.
   */
  public Verification verifySignature(SignedLicense signed) {
    String keyId = signed.signature().keyId();
    Optional<PublicKey> key = keyRing.find(keyId);
    if (key.isEmpty()) {
      return Verification.of(
          VerificationCode.UNKNOWN_KEY_ID,
          "the license is signed with key '"
              + keyId
              + "', which is not among the trusted keys "
              + keyRing.keys().keySet()
              + "; add the vendor's public key "
              + keyId
              + ".public.pem",
          signed);
    }
    if (!Ed25519.verify(key.get(), signed.canonicalBytes(), signed.signature().bytes())) {
      return Verification.of(
          VerificationCode.SIGNATURE_MISMATCH,
          "the signature does not match the contents: the [license] section was changed after signing,"
              + " or the file was damaged. Use the file exactly as the vendor sent it",
          signed);
    }
    return Verification.of(VerificationCode.VALID, "signature valid (key '" + keyId + "')", signed);
  }
}
