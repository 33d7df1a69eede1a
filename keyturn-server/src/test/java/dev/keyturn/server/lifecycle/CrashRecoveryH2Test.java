package dev.keyturn.server.lifecycle;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

class CrashRecoveryH2Test extends CrashRecoveryTests {
  @TempDir Path dir;

  @Override
  List<String> database() {
    return List.of(
        "--keyturn.data-dir=" + dir,
        "--spring.datasource.url=jdbc:h2:file:"
            + dir.resolve("keyturn")
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
  }
}
