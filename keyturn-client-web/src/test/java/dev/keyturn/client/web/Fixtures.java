package dev.keyturn.client.web;

import dev.keyturn.client.LicenseManager;
import dev.keyturn.client.SettableClock;
import dev.keyturn.core.crypto.Ed25519;
import dev.keyturn.core.crypto.KeyRing;
import dev.keyturn.core.crypto.SigningKey;
import dev.keyturn.core.license.GraceMode;
import dev.keyturn.core.license.License;
import dev.keyturn.core.license.LicensePolicy;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/** Real Ed25519 keys, licenses shaped like docs/design.md §3, managers on a settable clock. */
final class Fixtures {
  static final Instant ISSUED = Instant.parse("2026-11-22T10:00:00Z");
  static final Instant NOT_BEFORE = Instant.parse("2026-11-22T00:00:00Z");
  static final Instant EXPIRES = Instant.parse("2027-11-22T00:00:00Z");
  static final Instant MID_YEAR = Instant.parse("2027-03-01T12:00:00Z");

  private Fixtures() {}

  static License.Builder acme() {
    return License.builder()
        .id("lic_01JD3ACME")
        .subscriptionId("sub_01JD2ACME")
        .customer("Acme Corp")
        .tier("medium")
        .seats(250)
        .feature("sso")
        .issuedAt(ISSUED)
        .notBefore(NOT_BEFORE)
        .expiresAt(EXPIRES)
        .limit("users", 250)
        .policy(new LicensePolicy("appliance", 60, GraceMode.FULL));
  }

  static License.Builder subscription() {
    return acme()
        .id("lic_01JD3SUBS")
        .policy(new LicensePolicy("subscription", 7, GraceMode.READ_ONLY));
  }

  /** The renewal of {@link #acme()}: a new id, one more year, valid from 20 days before expiry. */
  static License.Builder renewal() {
    return acme()
        .id("lic_01JD4ACME")
        .issuedAt(EXPIRES.minus(Duration.ofDays(20)))
        .notBefore(EXPIRES.minus(Duration.ofDays(20)))
        .expiresAt(EXPIRES.plus(Duration.ofDays(365)));
  }

  /** {@code days} before expiry, plus an hour so that the stage has surely started. */
  static Instant daysBefore(int days) {
    return EXPIRES.minus(Duration.ofDays(days)).plus(Duration.ofHours(1));
  }

  static Keys keys() {
    KeyPair pair = Ed25519.generate();
    return new Keys(new SigningKey("2026-a", pair.getPrivate()), pair);
  }

  record Keys(SigningKey signing, KeyPair pair) {
    KeyRing ring() {
      return KeyRing.builder().add(signing.keyId(), pair.getPublic()).build();
    }

    String sign(License license) {
      return signing.sign(license).toToml();
    }
  }

  /** A manager without a background thread, with dates in UTC. */
  static LicenseManager.Builder manager(Path stateDir, Keys keys, SettableClock clock) {
    return LicenseManager.builder()
        .stateDir(stateDir)
        .trustedKeys(keys.ring())
        .clock(clock)
        .zone(ZoneOffset.UTC)
        .background(false);
  }

  /** Changes the customer's name without re-signing: the signature no longer matches. */
  static String tamper(String licenseText) {
    String tampered =
        licenseText.replace("customer = \"Acme Corp\"", "customer = \"Acme Corp Ltd\"");
    if (tampered.equals(licenseText)) {
      throw new IllegalStateException("the fixture's customer line moved");
    }
    return tampered;
  }
}
