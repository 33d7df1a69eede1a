package dev.keyturn.conformance;

import dev.keyturn.core.crypto.Ed25519;
import dev.keyturn.core.crypto.KeyRing;
import dev.keyturn.core.crypto.SigningKey;
import dev.keyturn.core.license.GraceMode;
import dev.keyturn.core.license.License;
import dev.keyturn.core.license.LicensePolicy;
import dev.keyturn.core.license.SignedLicense;
import dev.keyturn.core.lifecycle.BannerLevel;
import dev.keyturn.core.lifecycle.Dismissal;
import dev.keyturn.core.lifecycle.LockAction;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.core.lifecycle.Recipient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fixed inputs of every vector: key pairs from fixed seeds and licenses at fixed instants.
 * Nothing here reads a clock or a random source, so the output never changes between runs.
 */
final class Fixtures {
  /** Signed the licenses issued before the rotation; still trusted. */
  static final String OLD_KEY = "2025-a";

  /** The current signing key. */
  static final String CURRENT_KEY = "2026-a";

  /** A key whose public half is in no key ring: its licenses are UNKNOWN_KEY_ID. */
  static final String ROGUE_KEY = "rogue";

  /** An id named by no key at all. */
  static final String UNKNOWN_KEY = "2024-gone";

  static final List<String> KEY_IDS = List.of(OLD_KEY, CURRENT_KEY, ROGUE_KEY);

  /**
   * The key rings vectors refer to by name; order matters (the UNKNOWN_KEY_ID message lists it).
   */
  static final Map<String, List<String>> KEY_RINGS = new LinkedHashMap<>();

  static final String INSTANCE_DOMAIN = "tools.acme.example";
  static final Instant ISSUED_AT = Instant.parse("2026-11-20T10:00:00Z");
  static final Instant NOT_BEFORE = Instant.parse("2026-11-22T00:00:00Z");
  static final Instant EXPIRES_AT = Instant.parse("2027-11-22T00:00:00Z");

  /** A moment inside the validity window of the base license. */
  static final Instant MID_TERM = Instant.parse("2027-06-01T12:00:00Z");

  private static final Map<String, KeyPair> PAIRS = new LinkedHashMap<>();

  static {
    KEY_RINGS.put("default", List.of(OLD_KEY, CURRENT_KEY));
    KEY_RINGS.put("current-only", List.of(CURRENT_KEY));
    KEY_RINGS.put("old-only", List.of(OLD_KEY));
    KEY_IDS.forEach(id -> PAIRS.put(id, pairFromSeed(seed(id))));
  }

  private Fixtures() {}

  /** {@code SHA-256("keyturn-conformance:" + keyId)}: documented, so anyone can re-derive it. */
  static byte[] seed(String keyId) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(("keyturn-conformance:" + keyId).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  static KeyPair pair(String keyId) {
    return PAIRS.get(keyId);
  }

  static SigningKey signingKey(String keyId) {
    return new SigningKey(keyId, pair(keyId).getPrivate());
  }

  /** A signing key that names itself {@code keyId} but signs with another pair's private key. */
  static SigningKey impostor(String keyId, String realKey) {
    return new SigningKey(keyId, pair(realKey).getPrivate());
  }

  static KeyRing ring(String name) {
    KeyRing.Builder b = KeyRing.builder();
    KEY_RINGS.get(name).forEach(id -> b.add(id, pair(id).getPublic()));
    return b.build();
  }

  /** The base license every single-value change starts from. */
  static License.Builder baseLicense() {
    return License.builder()
        .id("lic-conformance-0001")
        .subscriptionId("sub-conformance-01")
        .customer("Acme Corp")
        .instanceDomain(INSTANCE_DOMAIN)
        .tier("enterprise")
        .seats(25)
        .features(List.of("sso", "audit-log"))
        .tags(List.of("conformance"))
        .issuedAt(ISSUED_AT)
        .notBefore(NOT_BEFORE)
        .expiresAt(EXPIRES_AT)
        .limit("projects", 100)
        .limit("storage_gb", 500)
        .policy(new LicensePolicy("appliance", 60, GraceMode.FULL));
  }

  /**
   * A partner tier's custom policy (issue 21): D-15 goes to the partner's account team, not the
   * customer; 90 days of read-only grace; the lock is told to webhooks only.
   */
  static final Policy PARTNER_POLICY =
      Policy.builder("partner")
          .reminder(30, BannerLevel.INFO, Dismissal.UNTIL_NEXT_STAGE, Set.of(Recipient.CUSTOMER))
          .reminder(
              15,
              BannerLevel.WARNING,
              Dismissal.FOR_24H,
              EnumSet.of(Recipient.ACCOUNT_TEAM, Recipient.WEBHOOK))
          .reminder(
              3,
              BannerLevel.DANGER,
              Dismissal.NOT_DISMISSIBLE,
              EnumSet.of(Recipient.CUSTOMER, Recipient.RENEWAL_REQUEST))
          .grace(90, GraceMode.READ_ONLY)
          .lockAction(LockAction.SUSPEND)
          .expiryNotify(EnumSet.of(Recipient.CUSTOMER, Recipient.SUPPORT))
          .lockNotify(Set.of(Recipient.WEBHOOK))
          .build();

  /** The base license under {@link #PARTNER_POLICY}: a format-2 file. */
  static License.Builder partnerLicense() {
    return baseLicense().id("lic-conformance-0021").policy(PARTNER_POLICY.toLicensePolicy());
  }

  /** The base license signed with the current key: the license most vectors start from. */
  static SignedLicense base() {
    return signingKey(CURRENT_KEY).sign(baseLicense().build());
  }

  /** The base license's renewal: the next year, issued a month before expiry. */
  static SignedLicense renewal() {
    return signingKey(CURRENT_KEY)
        .sign(
            baseLicense()
                .id("lic-conformance-0002")
                .issuedAt(Instant.parse("2027-10-20T10:00:00Z"))
                .notBefore(EXPIRES_AT)
                .expiresAt(Instant.parse("2028-11-22T00:00:00Z"))
                .build());
  }

  /** A later license that lowers {@code projects} to 80. */
  static SignedLicense downgrade() {
    return signingKey(CURRENT_KEY)
        .sign(
            baseLicense()
                .id("lic-conformance-0004")
                .issuedAt(Instant.parse("2027-05-20T10:00:00Z"))
                .expiresAt(Instant.parse("2028-01-22T00:00:00Z"))
                .limit("projects", 80)
                .build());
  }

  /** A later license that keeps {@code projects} at 100 and allows 10 % above it. */
  static SignedLicense overage() {
    return signingKey(CURRENT_KEY)
        .sign(
            baseLicense()
                .id("lic-conformance-0005")
                .issuedAt(Instant.parse("2027-05-21T10:00:00Z"))
                .expiresAt(Instant.parse("2028-02-22T00:00:00Z"))
                .overagePercent("projects", 10)
                .build());
  }

  /** A self-serve license: subscription preset (7 days of read-only grace), any instance. */
  static SignedLicense subscription() {
    return signingKey(CURRENT_KEY)
        .sign(
            baseLicense()
                .id("lic-conformance-0003")
                .instanceDomain(null)
                .policy(new LicensePolicy("subscription", 7, GraceMode.READ_ONLY))
                .build());
  }

  /**
   * The JDK draws an Ed25519 private key as 32 bytes from its random source; handing it a source
   * that yields the seed gives the RFC 8032 key pair of that seed, as any library derives it.
   */
  static KeyPair pairFromSeed(byte[] seed) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(Ed25519.ALGORITHM);
      g.initialize(NamedParameterSpec.ED25519, new SeedRandom(seed));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot make Ed25519 keys", e);
    }
  }

  /** Yields the seed once; any further request means the JDK changed how it draws keys. */
  private static final class SeedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] seed;
    private boolean used;

    SeedRandom(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      if (used || bytes.length != seed.length) {
        throw new IllegalStateException("unexpected draw of " + bytes.length + " random bytes");
      }
      System.arraycopy(seed, 0, bytes, 0, bytes.length);
      used = true;
    }
  }
}
