package dev.keyturn.client.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * Replaces a file so that a crash at any moment leaves either the old content or the new, never a
 * mix: write a temporary file in the same directory, force it to disk, rename it over the target
 * atomically, then force the directory so that the rename itself survives a power cut.
 */
public final class AtomicFiles {
  /** Temporary files carry this infix; {@link #deleteTemporaryFiles} removes crash leftovers. */
  public static final String TEMP_MARK = ".tmp-";

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Runs with the target after the temporary file is on disk and before the rename. Tests set it to
   * stop a child JVM at exactly that point and kill it; nothing else may touch it.
   */
  static volatile Consumer<Path> afterTempWritten = target -> {};

  private AtomicFiles() {}

  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, bytes, false);
  }

  /**
   * @param ownerOnly create the file readable and writable by its owner only (0600) where the file
   *     system has POSIX permissions; the permission is set at creation, so there is no moment when
   *     others could read it
   */
  public static void write(Path target, byte[] bytes, boolean ownerOnly) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    byte[] suffix = new byte[8];
    RANDOM.nextBytes(suffix);
    Path temp =
        dir.resolve("." + target.getFileName() + TEMP_MARK + HexFormat.of().formatHex(suffix));
    try {
      createFile(temp, ownerOnly);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      afterTempWritten.accept(target);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        // Never reached on a local file system: temp and target share a directory.
        throw new IOException("the file system cannot rename atomically in " + dir, e);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    forceDirectory(dir);
  }

  /**
   * Makes a rename or a new directory entry durable. Where a directory cannot be opened (Windows),
   * the file system's own journaling is all there is, so the failure is ignored.
   */
  public static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // See above: not supported on this platform.
    }
  }

  /** Removes temporary files a crash left behind; they never hold anything still needed. */
  public static void deleteTemporaryFiles(Path dir) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + TEMP_MARK + "*")) {
      for (Path file : files) {
        Files.deleteIfExists(file);
      }
    }
  }

  private static void createFile(Path file, boolean ownerOnly) throws IOException {
    if (ownerOnly && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      FileAttribute<?> perms =
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
      Files.createFile(file, perms);
    } else {
      Files.createFile(file);
    }
  }
}
