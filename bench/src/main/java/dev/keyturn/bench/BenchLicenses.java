package dev.keyturn.bench;

import dev.keyturn.core.crypto.Ed25519;
import dev.keyturn.core.crypto.KeyRing;
import dev.keyturn.core.crypto.SigningKey;
import dev.keyturn.core.license.GraceMode;
import dev.keyturn.core.license.License;
import dev.keyturn.core.license.LicensePolicy;
import dev.keyturn.core.license.SignedLicense;
import java.security.KeyPair;
import java.time.Instant;

/**
 * The license every benchmark works on: the example of docs/design.md §3, signed with a fresh real
 * key, so the numbers are those of a typical file and not of a toy.
 */
final class BenchLicenses {
  static final String KEY_ID = "2026-a";
  static final String INSTANCE_DOMAIN = "tools.acme.example";
  static final Instant EXPIRES = Instant.parse("2027-11-22T00:00:00Z");

  /** An instant inside the validity window and before any reminder stage. */
  static final Instant MID_TERM = Instant.parse("2027-03-01T12:00:00Z");

  private BenchLicenses() {}

  static License acme() {
    return License.builder()
        .id("lic_01JD3ACME")
        .subscriptionId("sub_01JD2ACME")
        .customer("Acme Corp")
        .instanceDomain(INSTANCE_DOMAIN)
        .tier("medium")
        .seats(250)
        .feature("sso")
        .feature("audit-export")
        .issuedAt(Instant.parse("2026-11-22T10:00:00Z"))
        .notBefore(Instant.parse("2026-11-22T00:00:00Z"))
        .expiresAt(EXPIRES)
        .limit("users", 250)
        .limit("devices", 5000)
        .policy(new LicensePolicy("appliance", 60, GraceMode.FULL))
        .build();
  }

  /** A signed license and the key ring that trusts its key. */
  record Signed(SignedLicense license, String text, KeyPair keys, KeyRing ring) {}

  static Signed signed() {
    KeyPair keys = Ed25519.generate();
    SignedLicense license = new SigningKey(KEY_ID, keys.getPrivate()).sign(acme());
    KeyRing ring = KeyRing.builder().add(KEY_ID, keys.getPublic()).build();
    return new Signed(license, license.toToml(), keys, ring);
  }
}
