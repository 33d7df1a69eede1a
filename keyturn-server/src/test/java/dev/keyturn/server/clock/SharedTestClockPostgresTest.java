package dev.keyturn.server.clock;

import dev.keyturn.server.support.PostgresAvailable;
import dev.keyturn.server.support.PostgresDatabase;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;

/** Replicas on one PostgreSQL schema of their own (this run's other servers keep theirs). */
@ExtendWith(PostgresAvailable.class)
class SharedTestClockPostgresTest extends SharedTestClockTests {
  private String url;

  @Override
  protected List<String> database() {
    if (url == null) {
      url = PostgresDatabase.newSchemaUrl();
    }
    return List.of(
        "--spring.datasource.url=" + url,
        "--spring.datasource.username=" + PostgresDatabase.user(),
        "--spring.datasource.password=",
        "--spring.datasource.hikari.connection-init-sql=set time zone '"
            + PostgresDatabase.sessionTimeZone()
            + "'");
  }
}
