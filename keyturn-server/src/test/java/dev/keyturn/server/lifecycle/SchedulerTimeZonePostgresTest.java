package dev.keyturn.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.lifecycle.internal.SchedulerConfiguration;
import dev.keyturn.server.support.OnPostgres;
import org.junit.jupiter.api.Test;

@OnPostgres
class SchedulerTimeZonePostgresTest extends SchedulerTimeZoneTests {

  @Test
  void postgresql_keeps_db_schedulers_own_handling() {
    assertThat(SchedulerConfiguration.jdbcCustomization(dataSource).getName())
        .isEqualTo("PostgreSQL");
  }
}
