package dev.keyturn.server.delivery;

import dev.keyturn.server.system.AutomationProperties;
import dev.keyturn.server.system.Db;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends what the outbox holds. Each delivery runs in its own transaction holding its row lock
 * ({@code SKIP LOCKED}), so two servers never send the same row at once; a failure waits twice as
 * long as the one before, and after the attempt cap the row is DEAD until an admin retries it. Rows
 * survive restarts: a crash between enqueue and delivery leaves a PENDING row the next run sends.
 */
@Component
public class DeliveryWorker {
  private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
  private static final int BATCH = 100;

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final MailTransport mail;
  private final WebhookTransport webhooks;
  private final AutomationProperties.Delivery settings;

  DeliveryWorker(
      JdbcClient jdbc,
      TransactionTemplate tx,
      Clock clock,
      MailTransport mail,
      WebhookTransport webhooks,
      AutomationProperties properties) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.clock = clock;
    this.mail = mail;
    this.webhooks = webhooks;
    this.settings = properties.delivery();
  }

  /** Attempts every delivery that is due now; returns how many were delivered. */
  public int runOnce() {
    int delivered = 0;
    long after = 0;
    while (true) {
      List<Long> due =
          jdbc.sql(
                  "select id from outbox where state = 'PENDING' and next_attempt_at <= ? and id > ?"
                      + " order by id limit "
                      + BATCH)
              .params(Db.ts(clock.instant()), after)
              .query(Long.class)
              .list();
      if (due.isEmpty()) {
        return delivered;
      }
      for (long id : due) {
        if (attemptNow(id)) {
          delivered++;
        }
      }
      after = due.get(due.size() - 1);
    }
  }

  /**
   * Attempts one pending delivery now, as {@link #runOnce} would (a webhook test-send from the
   * console shows its result at once); false when it failed or another server holds it.
   */
  public boolean attemptNow(long id) {
    return Boolean.TRUE.equals(tx.execute(status -> attempt(id)));
  }

  private boolean attempt(long id) {
    Optional<Row> locked =
        jdbc.sql(
                "select id, kind, target, endpoint_id, subscription_id, payload, attempts from"
                    + " outbox where id = ? and state = 'PENDING' for update skip locked")
            .param(id)
            .query(DeliveryWorker::row)
            .optional();
    if (locked.isEmpty()) {
      return false; // another server has it, or it was delivered meanwhile
    }
    Row row = locked.get();
    Instant now = clock.instant();
    String error = null;
    try {
      if (Outbox.MAIL.equals(row.kind())) {
        mail.send(row.id(), row.subscriptionId(), row.payload());
      } else {
        webhooks.post(row.id(), row.endpointId(), row.target(), row.payload());
      }
    } catch (RuntimeException e) {
      error = e.getClass().getSimpleName() + ": " + e.getMessage();
      error = error.length() > 2000 ? error.substring(0, 2000) : error;
    }
    jdbc.sql(
            "insert into delivery_attempts (outbox_id, attempted_at, succeeded, error) values (?,"
                + " ?, ?, ?)")
        .params(row.id(), Db.ts(now), error == null, error)
        .update();
    int attempts = row.attempts() + 1;
    if (error == null) {
      jdbc.sql(
              "update outbox set state = 'DELIVERED', attempts = ?, delivered_at = ?, last_error ="
                  + " null where id = ?")
          .params(attempts, Db.ts(now), row.id())
          .update();
      return true;
    }
    boolean dead = attempts >= settings.maxAttempts();
    Instant next = now.plus(backoff(attempts));
    jdbc.sql(
            "update outbox set state = ?, attempts = ?, next_attempt_at = ?, last_error = ? where"
                + " id = ?")
        .params(dead ? Delivery.DEAD : Delivery.PENDING, attempts, Db.ts(next), error, row.id())
        .update();
    log.warn(
        "delivery {} to {} failed (attempt {}{}): {}",
        row.id(),
        row.target(),
        attempts,
        dead ? ", now DEAD" : ", next at " + next,
        error);
    return false;
  }

  /** The wait after the n-th failed attempt: first, 2×first, 4×first… up to the cap. */
  Duration backoff(int failedAttempts) {
    Duration d = settings.firstBackoff();
    for (int i = 1; i < failedAttempts && d.compareTo(settings.maxBackoff()) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : d;
  }

  private record Row(
      long id,
      String kind,
      String target,
      String endpointId,
      String subscriptionId,
      String payload,
      int attempts) {}

  private static Row row(ResultSet rs, int n) throws SQLException {
    return new Row(
        rs.getLong("id"),
        rs.getString("kind"),
        rs.getString("target"),
        rs.getString("endpoint_id"),
        rs.getString("subscription_id"),
        rs.getString("payload"),
        rs.getInt("attempts"));
  }
}
