package dev.keyturn.client;

import dev.keyturn.core.license.License;
import dev.keyturn.core.license.SignedLicense;
import java.util.Comparator;

/** An authentic license file from the history, and the hash it is stored under. */
record InstalledLicense(String hash, SignedLicense signed) {

  /**
   * "Newest": the later {@code expires_at}; then the later {@code issued_at}; then the hash, only
   * so that the order is total and every process picks the same license.
   */
  static final Comparator<InstalledLicense> NEWEST_LAST =
      Comparator.comparing((InstalledLicense l) -> l.license().expiresAt())
          .thenComparing(l -> l.license().issuedAt())
          .thenComparing(InstalledLicense::hash);

  License license() {
    return signed.license();
  }

  boolean isNewerThan(InstalledLicense other) {
    return NEWEST_LAST.compare(this, other) > 0;
  }
}
