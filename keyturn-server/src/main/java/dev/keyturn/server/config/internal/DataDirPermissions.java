package dev.keyturn.server.config.internal;

import dev.keyturn.server.config.KeyturnProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The data folder holds the embedded database and, in dev mode, the master key: only the server's
 * own user may read it. Once the server is up (the database files exist), the folder is made {@code
 * 0700} and its files {@code 0600}; files created later inherit the process's umask, but nobody
 * else can reach them through a {@code 0700} folder. (On a file system without POSIX permissions
 * nothing is changed.)
 */
@Component
class DataDirPermissions {
  private final Path dataDir;

  DataDirPermissions(KeyturnProperties properties) {
    this.dataDir = properties.dataDir();
  }

  @EventListener(ApplicationReadyEvent.class)
  void restrict() {
    restrict(dataDir);
  }

  static void restrict(Path dir) {
    if (!Files.isDirectory(dir)
        || Files.getFileAttributeView(dir, PosixFileAttributeView.class) == null) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restrict the permissions of " + dir, e);
    }
  }
}
