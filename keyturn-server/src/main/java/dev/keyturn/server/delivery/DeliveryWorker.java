package dev.keyturn.server.delivery;

import dev.keyturn.server.config.AutomationProperties;
import dev.keyturn.server.delivery.internal.MailTransport;
import dev.keyturn.server.delivery.internal.WebhookTransport;
import dev.keyturn.server.jdbc.Db;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends what the outbox holds. A worker takes a batch of due rows in one transaction holding their
 * row locks ({@code SKIP LOCKED}), so two workers or two servers never send the same row at once;
 * the batch's mails go over one SMTP connection, and every row's outcome is recorded on its own: a
 * failure waits twice as long as the one before, and after the attempt cap the row is DEAD until an
 * admin retries it. When a batch is full, several workers drain the outbox in parallel.
 *
 * <p>Delivery is at least once: rows survive restarts (a crash between enqueue and delivery leaves
 * a PENDING row the next run sends), and a crash after the SMTP server accepted a mail but before
 * the batch's transaction commits sends that mail again.
 */
@Component
public class DeliveryWorker {
  private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

  /** Rows per transaction (and per SMTP connection). */
  static final int BATCH = 50;

  /**
   * Workers when there is a backlog: sending is mostly waiting for the SMTP server and the
   * database, so a few in parallel multiply throughput even on two cores.
   */
  static final int WORKERS = 4;

  private final JdbcClient jdbc;
  private final JdbcTemplate batch;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final MailTransport mail;
  private final WebhookTransport webhooks;
  private final AutomationProperties.Delivery settings;

  DeliveryWorker(
      JdbcClient jdbc,
      JdbcTemplate batch,
      TransactionTemplate tx,
      Clock clock,
      MailTransport mail,
      WebhookTransport webhooks,
      AutomationProperties properties) {
    this.jdbc = jdbc;
    this.batch = batch;
    this.tx = tx;
    this.clock = clock;
    this.mail = mail;
    this.webhooks = webhooks;
    this.settings = properties.delivery();
  }

  /** Attempts every delivery that is due now; returns how many were delivered. */
  public int runOnce() {
    Instant now = clock.instant();
    // Mails and webhooks in batches of their own: a slow webhook endpoint never holds up mails.
    return Workers.run(BATCH, WORKERS, "keyturn-mail", () -> batch(Outbox.MAIL, now))
        + Workers.run(BATCH, WORKERS, "keyturn-webhook", () -> batch(Outbox.WEBHOOK, now));
  }

  /**
   * Attempts one pending delivery now, as {@link #runOnce} would (a webhook test-send from the
   * console shows its result at once); false when it failed or another server holds it.
   */
  public boolean attemptNow(long id) {
    Integer delivered =
        tx.execute(
            status ->
                send(
                    jdbc.sql(
                            "select id, kind, target, endpoint_id, subscription_id, payload,"
                                + " attempts from outbox where id = ? and state = 'PENDING' for"
                                + " update skip locked")
                        .param(id)
                        .query(DeliveryWorker::row)
                        .list()));
    return delivered != null && delivered == 1;
  }

  /**
   * One transaction: locks up to {@link #BATCH} due rows of one kind, sends them and records each
   * outcome. A failed row gets a later {@code next_attempt_at}, so this run does not take it again.
   */
  private Workers.Batch batch(String kind, Instant due) {
    Workers.Batch outcome =
        tx.execute(
            status -> {
              List<Row> rows =
                  jdbc.sql(
                          "select id, kind, target, endpoint_id, subscription_id, payload, attempts"
                              + " from outbox where state = 'PENDING' and next_attempt_at <= ?"
                              + " and kind = ? order by id limit "
                              + BATCH
                              + " for update skip locked")
                      .params(Db.ts(due), kind)
                      .query(DeliveryWorker::row)
                      .list();
              return new Workers.Batch(rows.size(), send(rows));
            });
    return outcome == null ? new Workers.Batch(0, 0) : outcome;
  }

  private int send(List<Row> rows) {
    if (rows.isEmpty()) {
      return 0;
    }
    Map<Long, RuntimeException> failed = new HashMap<>();
    List<MailTransport.Outgoing> mails = new ArrayList<>();
    for (Row row : rows) {
      if (Outbox.MAIL.equals(row.kind())) {
        mails.add(new MailTransport.Outgoing(row.id(), row.subscriptionId(), row.payload()));
      } else {
        try {
          webhooks.post(row.id(), row.endpointId(), row.target(), row.payload());
        } catch (RuntimeException e) {
          failed.put(row.id(), e);
        }
      }
    }
    if (!mails.isEmpty()) {
      failed.putAll(mail.send(mails));
    }
    return record(rows, failed);
  }

  /** Writes every row's attempt and new state in three batched statements. */
  private int record(List<Row> rows, Map<Long, RuntimeException> failed) {
    Instant now = clock.instant();
    List<Object[]> attempts = new ArrayList<>();
    List<Object[]> delivered = new ArrayList<>();
    List<Object[]> retries = new ArrayList<>();
    for (Row row : rows) {
      RuntimeException e = failed.get(row.id());
      String error = e == null ? null : describe(e);
      attempts.add(new Object[] {row.id(), Db.ts(now), e == null, error});
      int attempt = row.attempts() + 1;
      if (e == null) {
        delivered.add(new Object[] {attempt, Db.ts(now), row.id()});
        continue;
      }
      boolean dead = attempt >= settings.maxAttempts();
      Instant next = now.plus(backoff(attempt));
      retries.add(
          new Object[] {
            dead ? Delivery.DEAD : Delivery.PENDING, attempt, Db.ts(next), error, row.id()
          });
      log.warn(
          "delivery {} to {} failed (attempt {}{}): {}",
          row.id(),
          row.target(),
          attempt,
          dead ? ", now DEAD" : ", next at " + next,
          error);
    }
    batch.batchUpdate(
        "insert into delivery_attempts (outbox_id, attempted_at, succeeded, error) values (?, ?,"
            + " ?, ?)",
        attempts);
    batch.batchUpdate(
        "update outbox set state = 'DELIVERED', attempts = ?, delivered_at = ?, last_error = null"
            + " where id = ?",
        delivered);
    batch.batchUpdate(
        "update outbox set state = ?, attempts = ?, next_attempt_at = ?, last_error = ? where id ="
            + " ?",
        retries);
    return delivered.size();
  }

  private static String describe(RuntimeException e) {
    String error = e.getClass().getSimpleName() + ": " + e.getMessage();
    return error.length() > 2000 ? error.substring(0, 2000) : error;
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
