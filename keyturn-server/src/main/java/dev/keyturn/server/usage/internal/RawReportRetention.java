package dev.keyturn.server.usage.internal;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import dev.keyturn.server.usage.UsageProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Once a day, deletes the raw check-in reports older than {@code keyturn.usage.raw-retention}
 * ({@code KEYTURN_USAGE_RAWRETENTION}); the daily maxima stay for good.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(UsageProperties.class)
public class RawReportRetention {
  public static final String TASK = "keyturn-usage-raw-retention";
  private static final Logger log = LoggerFactory.getLogger(RawReportRetention.class);
  // One statement per batch, each its own transaction: the first purge after a long retention
  // never holds locks for long, and check-ins keep inserting meanwhile.
  static final int BATCH = 5000;

  private final UsageStore store;
  private final Clock clock;
  private final Duration retention;

  RawReportRetention(UsageStore store, Clock clock, UsageProperties properties) {
    this.store = store;
    this.clock = clock;
    this.retention = properties.rawRetention();
  }

  /** Run daily by db-scheduler, on whichever server claims it. */
  @Bean
  RecurringTask<Void> usageRawRetentionTask() {
    return Tasks.recurring(TASK, FixedDelay.of(Duration.ofDays(1)))
        .execute((instance, context) -> run());
  }

  /** Deletes the raw reports now due; returns how many. */
  public int run() {
    Instant cutoff = clock.instant().minus(retention);
    int purged = 0;
    int n;
    do {
      n = store.purgeRaw(cutoff, BATCH);
      purged += n;
    } while (n == BATCH);
    if (purged > 0) {
      log.info("purged {} raw usage reports from before {}", purged, cutoff);
    }
    return purged;
  }
}
