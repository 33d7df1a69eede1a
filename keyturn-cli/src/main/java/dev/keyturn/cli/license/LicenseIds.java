package dev.keyturn.cli.license;

import java.time.Clock;
import java.util.random.RandomGenerator;

/**
 * New license ids: {@code lic_} and a ULID (48-bit millisecond time, 80 random bits, Crockford
 * base32). Ids sort by issue time and never collide in practice, without a central counter.
 */
final class LicenseIds {
  private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final int TIME_CHARS = 10;
  private static final int RANDOM_BYTES = 10;

  private LicenseIds() {}

  static String next(Clock clock, RandomGenerator random) {
    char[] id = new char[TIME_CHARS + RANDOM_BYTES * 8 / 5];
    long millis = clock.millis();
    for (int i = TIME_CHARS - 1; i >= 0; i--) {
      id[i] = CROCKFORD[(int) (millis & 31)];
      millis >>>= 5;
    }
    byte[] bytes = new byte[RANDOM_BYTES];
    random.nextBytes(bytes);
    int buffer = 0;
    int bits = 0;
    int pos = TIME_CHARS;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        bits -= 5;
        id[pos++] = CROCKFORD[(buffer >>> bits) & 31];
      }
    }
    return "lic_" + new String(id);
  }
}
