package dev.keyturn.cli.license;

import dev.keyturn.core.KeyturnException;
import dev.keyturn.core.VerificationCode;
import dev.keyturn.core.license.LicenseFormatException;
import dev.keyturn.core.license.LicenseReader;
import dev.keyturn.core.license.SignedLicense;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Reading and writing license files from the command line. */
public final class LicenseFiles {
  private LicenseFiles() {}

  /**
   * Reads a license file; a missing file is MALFORMED with a plain "no such file", like any other
   * file that cannot be read as a license.
   */
  public static SignedLicense read(Path file) {
    if (!Files.exists(file)) {
      throw new LicenseFormatException(VerificationCode.MALFORMED, "no such file: " + file);
    }
    if (Files.isDirectory(file)) {
      throw new LicenseFormatException(
          VerificationCode.MALFORMED, file + " is a folder, not a license file");
    }
    return new LicenseReader().read(file);
  }

  /**
   * Writes through a temporary file and a rename, so the target is either the old file or the whole
   * new one, never half a license.
   */
  static void write(Path file, String text, boolean replace) {
    Path target = file.toAbsolutePath();
    if (!replace && Files.exists(target)) {
      throw alreadyExists(file);
    }
    Path tmp = null;
    try {
      Files.createDirectories(target.getParent());
      tmp = Files.createTempFile(target.getParent(), ".keyturn-", ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
        // Temporary files start owner-only; a license is no secret and is meant to be handed on.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      if (replace) {
        Files.move(
            tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } else {
        Files.move(tmp, target);
      }
      tmp = null;
    } catch (FileAlreadyExistsException e) {
      throw alreadyExists(file);
    } catch (IOException e) {
      throw new KeyturnException("cannot write " + file + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // The temporary file is hidden and harmless; the error that matters is already thrown.
        }
      }
    }
  }

  private static KeyturnException alreadyExists(Path file) {
    return new KeyturnException(
        file + " already exists; choose another --out, or pass --force to replace it");
  }
}
