package dev.keyturn.core;

import dev.keyturn.core.crypto.Ed25519;
import dev.keyturn.core.crypto.KeyRing;
import dev.keyturn.core.crypto.SigningKey;
import dev.keyturn.core.license.GraceMode;
import dev.keyturn.core.license.License;
import dev.keyturn.core.license.LicensePolicy;
import java.security.KeyPair;
import java.time.Instant;

/**
 * Small factories for tests: real Ed25519 keys, licenses shaped like the one in docs/design.md §3.
 */
public final class TestLicenses {
  public static final Instant ISSUED = Instant.parse("2026-11-22T10:00:00Z");
  public static final Instant NOT_BEFORE = Instant.parse("2026-11-22T00:00:00Z");
  public static final Instant EXPIRES = Instant.parse("2027-11-22T00:00:00Z");

  private TestLicenses() {}

  public static License.Builder acme() {
    return License.builder()
        .id("lic_01JD3ACME")
        .subscriptionId("sub_01JD2ACME")
        .customer("Acme Corp")
        .instanceDomain("tools.acme.example")
        .tier("medium")
        .seats(250)
        .feature("sso")
        .feature("audit-export")
        .issuedAt(ISSUED)
        .notBefore(NOT_BEFORE)
        .expiresAt(EXPIRES)
        .limit("users", 250)
        .limit("devices", 5000)
        .policy(new LicensePolicy("appliance", 60, GraceMode.FULL));
  }

  /** A fresh key pair; tests make their own rather than share one. */
  public static Keys keys(String keyId) {
    KeyPair pair = Ed25519.generate();
    return new Keys(new SigningKey(keyId, pair.getPrivate()), pair);
  }

  public record Keys(SigningKey signing, KeyPair pair) {
    public KeyRing ring() {
      return KeyRing.builder().add(signing.keyId(), pair.getPublic()).build();
    }
  }
}
