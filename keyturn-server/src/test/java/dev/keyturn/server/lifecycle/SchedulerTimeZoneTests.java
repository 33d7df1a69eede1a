package dev.keyturn.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.keyturn.server.lifecycle.internal.SchedulerConfiguration;
import dev.keyturn.server.support.ServerTest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * db-scheduler's execution times must mean the same instant to the scheduler and to the database
 * when the JVM is not on UTC (surefire runs in America/Sao_Paulo); otherwise every sweep runs hours
 * late or early.
 */
abstract class SchedulerTimeZoneTests extends ServerTest {
  private static final String TASK = "keyturn-time-zone-probe";

  @Autowired DataSource dataSource;
  @Autowired JdbcClient jdbc;

  @Test
  void an_execution_time_reads_back_as_the_same_instant_in_a_non_utc_jvm() {
    assertThat(ZoneId.systemDefault().getRules().getOffset(clock.instant()))
        .as("this test means something only off UTC")
        .isNotEqualTo(ZoneOffset.UTC);
    OneTimeTask<Void> probe = Tasks.oneTime(TASK).execute((instance, context) -> {});
    Scheduler scheduler =
        SchedulerConfiguration.settings(
                Scheduler.create(dataSource, probe), clock, "time-zone-probe", Duration.ofHours(1))
            .build();
    String id = UUID.randomUUID().toString();
    Instant at = Instant.parse("2031-05-06T07:08:09Z");

    scheduler.schedule(probe.instance(id), at);

    assertThat(scheduler.getScheduledExecution(TaskInstanceId.of(TASK, id)))
        .hasValueSatisfying(e -> assertThat(e.getExecutionTime()).isEqualTo(at));
    OffsetDateTime stored =
        jdbc.sql(
                "select execution_time from scheduled_tasks where task_name = ? and task_instance"
                    + " = ?")
            .params(TASK, id)
            .query(OffsetDateTime.class)
            .single();
    assertThat(stored.toInstant()).isEqualTo(at);
    jdbc.sql("delete from scheduled_tasks where task_name = ?").param(TASK).update();
  }
}
