package dev.keyturn.server.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.support.OnPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

@OnPostgres
class SubscriptionPostgresTest extends SubscriptionTests {
  @Autowired JdbcClient jdbc;

  @Test
  void the_database_session_runs_in_a_non_utc_time_zone() {
    assertThat(jdbc.sql("select current_setting('TimeZone')").query(String.class).single())
        .isEqualTo("Asia/Tokyo");
  }
}
