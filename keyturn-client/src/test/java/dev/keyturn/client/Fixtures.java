package dev.keyturn.client;

import dev.keyturn.core.crypto.Ed25519;
import dev.keyturn.core.crypto.KeyRing;
import dev.keyturn.core.crypto.SigningKey;
import dev.keyturn.core.license.GraceMode;
import dev.keyturn.core.license.License;
import dev.keyturn.core.license.LicensePolicy;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.time.ZoneOffset;

/** Small factories for client tests: real Ed25519 keys, licenses shaped like docs/design.md §3. */
final class Fixtures {
  static final String DOMAIN = "tools.acme.example";
  static final Instant ISSUED = Instant.parse("2026-11-22T10:00:00Z");
  static final Instant NOT_BEFORE = Instant.parse("2026-11-22T00:00:00Z");
  static final Instant EXPIRES = Instant.parse("2027-11-22T00:00:00Z");

  /** A day well inside the license: ACTIVE, no banner. */
  static final Instant MID_YEAR = Instant.parse("2027-03-01T12:00:00Z");

  private Fixtures() {}

  static License.Builder acme() {
    return License.builder()
        .id("lic_01JD3ACME")
        .subscriptionId("sub_01JD2ACME")
        .customer("Acme Corp")
        .instanceDomain(DOMAIN)
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

  /** The renewal of {@link #acme()}: a new id, one more year. */
  static License.Builder renewal() {
    return acme()
        .id("lic_01JD4ACME")
        .issuedAt(EXPIRES.minusSeconds(20 * 86400))
        .notBefore(EXPIRES.minusSeconds(20 * 86400))
        .expiresAt(EXPIRES.plusSeconds(365 * 86400));
  }

  static Keys keys(String keyId) {
    KeyPair pair = Ed25519.generate();
    return new Keys(new SigningKey(keyId, pair.getPrivate()), pair);
  }

  record Keys(SigningKey signing, KeyPair pair) {
    KeyRing ring() {
      return KeyRing.builder().add(signing.keyId(), pair.getPublic()).build();
    }

    String sign(License license) {
      return signing.sign(license).toToml();
    }
  }

  /** A manager for tests: settable clock, no background thread, dates in UTC. */
  static LicenseManager.Builder manager(Path stateDir, Keys keys, SettableClock clock) {
    return LicenseManager.builder()
        .stateDir(stateDir)
        .trustedKeys(keys.ring())
        .instanceDomain(DOMAIN)
        .clock(clock)
        .zone(ZoneOffset.UTC)
        .background(false);
  }
}
