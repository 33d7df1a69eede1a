package dev.keyturn.server.clock;

import java.util.List;

/** Replicas on one H2 database file (each server opens it; H2 shares it within the JVM). */
class SharedTestClockH2Test extends SharedTestClockTests {
  @Override
  protected List<String> database() {
    return List.of(
        "--spring.datasource.url=jdbc:h2:file:"
            + dir.resolve("keyturn")
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
  }
}
