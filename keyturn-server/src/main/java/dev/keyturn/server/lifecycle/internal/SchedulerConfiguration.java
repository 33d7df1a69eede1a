package dev.keyturn.server.lifecycle.internal;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.jdbc.AutodetectJdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.DefaultJdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.JdbcCustomization;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import dev.keyturn.server.config.AutomationProperties;
import dev.keyturn.server.delivery.DeliveryWorker;
import dev.keyturn.server.lifecycle.Sweep;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * db-scheduler runs the sweep, the delivery worker and the recurring tasks other features declare
 * as {@link RecurringTask} beans (billing's payload retention); its state lives in {@code
 * scheduled_tasks}, so among several servers on one database exactly one runs each execution. It
 * reads the server's {@link Clock}, so moving the test clock moves the schedule too.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(
    name = "keyturn.scheduler.enabled",
    havingValue = "true",
    matchIfMissing = true)
public class SchedulerConfiguration {

  public static final Duration HEARTBEAT = Duration.ofSeconds(15);
  public static final int MISSED_HEARTBEATS = 4;
  public static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(12);

  @Bean(destroyMethod = "stop")
  Scheduler scheduler(
      DataSource dataSource,
      Sweep sweep,
      DeliveryWorker deliveries,
      Clock clock,
      AutomationProperties properties,
      ObjectProvider<RecurringTask<?>> featureTasks) {
    Scheduler scheduler =
        build(
            dataSource,
            sweep,
            deliveries,
            clock,
            properties,
            "keyturn",
            Duration.ofSeconds(5),
            featureTasks.orderedStream().toList());
    scheduler.start();
    return scheduler;
  }

  /** A scheduler over the sweep and the delivery worker; not started. */
  public static Scheduler build(
      DataSource dataSource,
      Sweep sweep,
      DeliveryWorker deliveries,
      Clock clock,
      AutomationProperties properties,
      String name,
      Duration pollingInterval) {
    return build(
        dataSource, sweep, deliveries, clock, properties, name, pollingInterval, List.of());
  }

  /** A scheduler over the sweep, the delivery worker and {@code featureTasks}; not started. */
  public static Scheduler build(
      DataSource dataSource,
      Sweep sweep,
      DeliveryWorker deliveries,
      Clock clock,
      AutomationProperties properties,
      String name,
      Duration pollingInterval,
      List<RecurringTask<?>> featureTasks) {
    RecurringTask<Void> sweepTask =
        Tasks.recurring("keyturn-sweep", FixedDelay.of(properties.sweep().interval()))
            .execute((instance, context) -> sweep.run());
    // Mails and webhooks are separate tasks, so a hanging webhook endpoint never delays a mail.
    RecurringTask<Void> mailTask =
        Tasks.recurring("keyturn-deliveries", FixedDelay.of(properties.delivery().interval()))
            .execute((instance, context) -> deliveries.runMails());
    RecurringTask<Void> webhookTask =
        Tasks.recurring("keyturn-webhooks", FixedDelay.of(properties.delivery().interval()))
            .execute((instance, context) -> deliveries.runWebhooks());
    List<RecurringTask<?>> tasks = new ArrayList<>(List.of(sweepTask, mailTask, webhookTask));
    tasks.addAll(featureTasks);
    return settings(
            Scheduler.create(dataSource)
                .jdbcCustomization(jdbcCustomization(dataSource))
                .startTasks(tasks),
            clock,
            name,
            pollingInterval)
        .build();
  }

  /**
   * db-scheduler's own choice for the database, except on H2, which it does not know: there it
   * falls back to {@link DefaultJdbcCustomization} and warns at every start that zone-less columns
   * want {@code alwaysPersistTimestampInUTC()}. Ours have a zone (see {@link #settings}), so H2
   * gets that same default explicitly, without the warning.
   */
  public static JdbcCustomization jdbcCustomization(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      if ("H2".equals(c.getMetaData().getDatabaseProductName())) {
        return new DefaultJdbcCustomization(false);
      }
    } catch (SQLException e) {
      // Let db-scheduler detect (and report) it, as it would without us.
    }
    return new AutodetectJdbcCustomization(dataSource);
  }

  /**
   * How every Keyturn scheduler is set up. No {@code alwaysPersistTimestampInUTC()}: our columns
   * are {@code timestamp with time zone}, so the drivers keep the instant by themselves, while that
   * setting made H2 read every execution time back shifted by the JVM's UTC offset (tasks ran hours
   * late in a non-UTC JVM; SchedulerTimeZoneTest).
   */
  public static SchedulerBuilder settings(
      SchedulerBuilder builder, Clock clock, String name, Duration pollingInterval) {
    return builder
        .clock(clock::instant)
        .schedulerName(new SchedulerName.Fixed(name + "-" + ProcessHandle.current().pid()))
        // One thread per task (sweep, mails, webhooks) and one for a feature's: none waits.
        .threads(4)
        // After a crash (kill -9) the executions it held count as dead once their heartbeat is a
        // minute old, and another server or the restarted one runs them again: deliveries and the
        // sweep resume within about 2 minutes (db-scheduler's default: 30 minutes).
        .heartbeatInterval(HEARTBEAT)
        .missedHeartbeatsLimit(MISSED_HEARTBEATS)
        // SIGTERM: running executions get this long, then the server stops anyway; what they had
        // not recorded is sent again later (at least once, docs/operations.md).
        .shutdownMaxWait(SHUTDOWN_WAIT)
        .pollingInterval(pollingInterval)
        .commitWhenAutocommitDisabled(true);
  }
}
