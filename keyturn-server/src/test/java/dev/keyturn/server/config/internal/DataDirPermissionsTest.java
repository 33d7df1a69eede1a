package dev.keyturn.server.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirPermissionsTest {
  @TempDir Path dir;

  @Test
  void the_data_folder_becomes_0700_and_its_files_0600() throws Exception {
    Path db = Files.createFile(dir.resolve("keyturn.mv.db"));
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

    DataDirPermissions.restrict(dir);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db)))
        .isEqualTo("rw-------");
  }
}
