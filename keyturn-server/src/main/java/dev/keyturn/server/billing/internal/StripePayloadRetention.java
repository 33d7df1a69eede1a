package dev.keyturn.server.billing.internal;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import dev.keyturn.server.billing.StripeProperties;
import dev.keyturn.server.jdbc.Db;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Stripe events carry customer data (names, e-mail addresses, amounts) that billing needs only
 * while it applies them. Once a day this drops the payload of every event processed longer ago than
 * {@code keyturn.stripe.payload-retention}; the row and its id stay, so a redelivery is still
 * recognised. Unmatched events keep their payload: they wait to be resent, and the payload is what
 * staff look at to resolve them.
 */
@Configuration(proxyBeanMethods = false)
public class StripePayloadRetention {
  public static final String TASK = "keyturn-stripe-payload-retention";
  private static final Logger log = LoggerFactory.getLogger(StripePayloadRetention.class);
  // One statement per batch, each its own transaction: a first run over years of events never
  // holds locks for long.
  private static final int BATCH = 500;

  private final JdbcClient jdbc;
  private final Clock clock;
  private final Duration retention;

  StripePayloadRetention(JdbcClient jdbc, Clock clock, StripeProperties properties) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.retention = properties.payloadRetention();
  }

  /** Run daily by db-scheduler, on whichever server claims it. */
  @Bean
  RecurringTask<Void> stripePayloadRetentionTask() {
    return Tasks.recurring(TASK, FixedDelay.of(Duration.ofDays(1)))
        .execute((instance, context) -> run());
  }

  /** Drops the payloads now due; returns how many. */
  public int run() {
    Instant now = clock.instant();
    Instant cutoff = now.minus(retention);
    int dropped = 0;
    int n;
    do {
      n =
          jdbc.sql(
                  "update stripe_events set payload = null, payload_dropped_at = ? where id in"
                      + " (select id from stripe_events where payload is not null and outcome not"
                      + " in ('UNMATCHED', 'RECEIVED') and received_at < ? order by received_at,"
                      + " id limit ?)")
              .params(Db.ts(now), Db.ts(cutoff), BATCH)
              .update();
      dropped += n;
    } while (n == BATCH);
    if (dropped > 0) {
      log.info("dropped the payloads of {} Stripe events received before {}", dropped, cutoff);
    }
    return dropped;
  }
}
