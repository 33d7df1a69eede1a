package dev.keyturn.server.identity;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238, on HOTP of RFC 4226): the code of a time step is the
 * HMAC of the step number under the shared secret, dynamically truncated to {@code digits} decimal
 * digits. Authenticator apps use {@link #AUTHENTICATOR}: HMAC-SHA1, 6 digits, 30 s.
 */
public record Totp(String algorithm, int digits, Duration period) {
  public static final Totp AUTHENTICATOR = new Totp("HmacSHA1", 6, Duration.ofSeconds(30));
  private static final int[] POWERS = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000
  };

  public Totp {
    if (digits < 6 || digits > 8) {
      throw new IllegalArgumentException("a TOTP code has 6 to 8 digits, not " + digits);
    }
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("the TOTP period must be positive, was " + period);
    }
  }

  /** The time step an instant falls in: whole periods since the Unix epoch. */
  public long step(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), period.toSeconds());
  }

  /** The code of one time step, zero-padded to {@code digits}. */
  public String code(byte[] secret, long step) {
    byte[] hash;
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(secret, "RAW"));
      hash = mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(step).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no " + algorithm + " in this JVM", e);
    }
    int offset = hash[hash.length - 1] & 0x0f;
    int binary =
        ((hash[offset] & 0x7f) << 24)
            | ((hash[offset + 1] & 0xff) << 16)
            | ((hash[offset + 2] & 0xff) << 8)
            | (hash[offset + 3] & 0xff);
    String code = Integer.toString(binary % POWERS[digits]);
    return "0".repeat(digits - code.length()) + code;
  }

  /**
   * The step within {@code ±window} steps of {@code now} whose code this is, newest first; or -1. A
   * window of 1 forgives a phone clock half a minute off, or a code typed as it turned over.
   */
  public long matchingStep(byte[] secret, String code, Instant now, int window) {
    if (code == null
        || code.length() != digits
        || !code.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    long current = step(now);
    for (long s = current + window; s >= current - window; s--) {
      if (constantTimeEquals(code(secret, s), code)) {
        return s;
      }
    }
    return -1;
  }

  private static boolean constantTimeEquals(String a, String b) {
    return java.security.MessageDigest.isEqual(a.getBytes(), b.getBytes());
  }
}
