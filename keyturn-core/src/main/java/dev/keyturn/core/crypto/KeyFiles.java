package dev.keyturn.core.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;

/** Writes a new key pair as {@code <id>.private.pem} (owner-only) and {@code <id>.public.pem}. */
public final class KeyFiles {
  private KeyFiles() {}

  public record Written(Path privateKey, Path publicKey) {}

  /** Never overwrites: losing a signing key by accident would strand every license it signed. */
  public static Written generate(String keyId, Path dir) {
    KeyIds.require(keyId);
    KeyPair pair = Ed25519.generate();
    Path privateFile = dir.resolve(keyId + SigningKey.PRIVATE_SUFFIX);
    Path publicFile = dir.resolve(keyId + SigningKey.PUBLIC_SUFFIX);
    try {
      Files.createDirectories(dir);
      for (Path p : new Path[] {privateFile, publicFile}) {
        if (Files.exists(p)) {
          throw new KeyException(p + " already exists; choose another key id or folder");
        }
      }
      writeOwnerOnly(privateFile, Pem.privateKey(pair.getPrivate()));
      Files.writeString(
          publicFile,
          Pem.publicKey(pair.getPublic()),
          StandardCharsets.US_ASCII,
          StandardOpenOption.CREATE_NEW);
      return new Written(privateFile, publicFile);
    } catch (FileAlreadyExistsException e) {
      throw new KeyException(e.getFile() + " already exists; choose another key id or folder", e);
    } catch (IOException e) {
      throw new KeyException("cannot write keys to " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void writeOwnerOnly(Path file, String text) throws IOException {
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      // Created with 0600 from the start, so the key is never readable by others, not even briefly.
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(
          file, text, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
    } else {
      Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW);
    }
  }
}
