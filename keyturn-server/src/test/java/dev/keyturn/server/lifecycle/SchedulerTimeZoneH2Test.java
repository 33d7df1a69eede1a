package dev.keyturn.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.jdbc.DefaultJdbcCustomization;
import dev.keyturn.server.lifecycle.internal.SchedulerConfiguration;
import dev.keyturn.server.support.OnH2;
import org.junit.jupiter.api.Test;

@OnH2
class SchedulerTimeZoneH2Test extends SchedulerTimeZoneTests {

  @Test
  void h2_gets_the_default_handling_without_a_utc_warning_at_every_start() {
    // db-scheduler's autodetection would pick this same class for H2, after logging the warning.
    assertThat(SchedulerConfiguration.jdbcCustomization(dataSource))
        .isExactlyInstanceOf(DefaultJdbcCustomization.class);
  }
}
