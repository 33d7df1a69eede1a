package dev.keyturn.client.web;

import dev.keyturn.client.LicenseManager;
import dev.keyturn.client.store.LicenseFiles;
import dev.keyturn.core.license.LicenseFormatException;
import dev.keyturn.core.license.LicenseReader;
import dev.keyturn.core.license.SignedLicense;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The credential a renewal request carries: the same bearer token as a check-in ({@code kt_lic_<hex
 * SHA-256 of the signature>}) for the license in force, derived from the stored file.
 */
final class LicenseToken {
  private static final LicenseReader READER = new LicenseReader();

  private LicenseToken() {}

  static Optional<String> find(Path stateDir, String licenseId) {
    for (LicenseFiles.Stored stored : new LicenseFiles(stateDir).list()) {
      try {
        SignedLicense signed = READER.read(stored.text());
        if (signed.license().id().equals(licenseId)) {
          return Optional.of(signed.checkInToken());
        }
      } catch (LicenseFormatException e) {
        // Not a license we can read; the manager ignores it too.
      }
    }
    return Optional.empty();
  }

  /** This installation's id, as check-in reports it; empty when the manager has not written it. */
  static Optional<String> instanceId(Path stateDir) {
    try {
      String id =
          Files.readString(
                  stateDir.resolve(LicenseManager.INSTANCE_ID_FILE), StandardCharsets.UTF_8)
              .strip();
      return id.isEmpty() ? Optional.empty() : Optional.of(id);
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
