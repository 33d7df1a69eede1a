package dev.keyturn.server.lifecycle;

import dev.keyturn.server.support.PostgresAvailable;
import dev.keyturn.server.support.PostgresDatabase;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(PostgresAvailable.class)
class CrashRecoveryPostgresTest extends CrashRecoveryTests {
  @TempDir Path dir;

  @Override
  List<String> database() {
    return List.of(
        "--keyturn.data-dir=" + dir,
        "--spring.datasource.url=" + PostgresDatabase.url(),
        "--spring.datasource.username=" + PostgresDatabase.user(),
        "--spring.datasource.password=");
  }
}
