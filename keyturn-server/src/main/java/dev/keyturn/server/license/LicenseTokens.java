package dev.keyturn.server.license;

import dev.keyturn.core.license.SignedLicense;
import dev.keyturn.server.jdbc.Hashes;

/**
 * The bearer token a client presents for check-in and capabilities: {@code kt_lic_} and the hex
 * SHA-256 of the license's signature bytes. The client derives it from the file it holds; the
 * server stores only a hash of the token.
 */
public final class LicenseTokens {
  public static final String PREFIX = SignedLicense.CHECK_IN_TOKEN_PREFIX;

  private LicenseTokens() {}

  public static String tokenFor(SignedLicense license) {
    return license.checkInToken();
  }

  public static String hash(String token) {
    return Hashes.sha256Hex(token);
  }
}
