package dev.keyturn.server.delivery;

import dev.keyturn.server.config.AutomationProperties;
import dev.keyturn.server.delivery.internal.ExpiredLinkPurge;
import dev.keyturn.server.delivery.internal.MailTransport;
import dev.keyturn.server.delivery.internal.WebhookTransport;
import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.jdbc.Dialect;
import dev.keyturn.server.jdbc.MultiRowInsert;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends what the outbox holds. Mails and webhooks run independently (two scheduled tasks, {@link
 * #runMails} and {@link #runWebhooks}): a slow or hanging webhook endpoint never delays a mail.
 *
 * <p>Mails: a worker takes a batch of due rows in one transaction holding their row locks ({@code
 * SKIP LOCKED}), so two workers or two servers never send the same row at once; the batch goes over
 * one SMTP connection (every wait bounded by the SMTP timeouts). When a batch is full, several
 * workers drain the outbox in parallel.
 *
 * <p>Webhooks: claimed, committed, sent, recorded. A short transaction takes due rows and leases
 * them (their {@code next_attempt_at} moves {@link #WEBHOOK_LEASE} ahead, so no other run or server
 * takes them meanwhile); they are posted outside any transaction, in parallel on a bounded pool
 * ({@link #WEBHOOK_SENDERS} at once, each post bounded by its timeout); a second short transaction
 * records each outcome.
 *
 * <p>Every row's outcome is recorded on its own: a failure waits twice as long as the one before,
 * and after the attempt cap the row is DEAD until an admin retries it. Delivery is at least once:
 * rows survive restarts (a crash between enqueue and delivery leaves a PENDING row the next run
 * sends), a crash after the SMTP server accepted a mail but before the batch's transaction commits
 * sends that mail again, and a crash while webhooks are out sends them again when their lease ends.
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

  /** A row's state is still PENDING; a filter on the rows found by id (see {@link #record}). */
  private static final String STILL_PENDING = "(state = 'PENDING') is true";

  /** Webhook posts in flight at once, per server. */
  static final int WEBHOOK_SENDERS = 16;

  /** How long claimed webhooks are kept from other runs: longer than any post may take. */
  static final Duration WEBHOOK_LEASE = Duration.ofMinutes(2);

  private final ExecutorService senders =
      Executors.newFixedThreadPool(
          WEBHOOK_SENDERS,
          r -> {
            Thread t = new Thread(r, "keyturn-webhook-sender");
            t.setDaemon(true);
            return t;
          });

  private final JdbcClient jdbc;
  private final JdbcTemplate batch;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final MailTransport mail;
  private final WebhookTransport webhooks;
  private final ExpiredLinkPurge linkPurge;
  private final AutomationProperties.Delivery settings;
  private final Dialect dialect;

  DeliveryWorker(
      JdbcClient jdbc,
      JdbcTemplate batch,
      TransactionTemplate tx,
      Clock clock,
      MailTransport mail,
      WebhookTransport webhooks,
      ExpiredLinkPurge linkPurge,
      AutomationProperties properties,
      Dialect dialect) {
    this.jdbc = jdbc;
    this.batch = batch;
    this.tx = tx;
    this.clock = clock;
    this.mail = mail;
    this.webhooks = webhooks;
    this.linkPurge = linkPurge;
    this.settings = properties.delivery();
    this.dialect = dialect;
  }

  /** Attempts every delivery that is due now; returns how many were delivered. */
  public int runOnce() {
    return runMails() + runWebhooks();
  }

  /** Sends every mail that is due now; returns how many went out. */
  public int runMails() {
    Instant now = clock.instant();
    int sent;
    try {
      sent = Workers.run(BATCH, WORKERS, "keyturn-mail", () -> batch(Outbox.MAIL, now));
    } finally {
      mail.closeIdleConnections();
    }
    linkPurge.purge(now);
    return sent;
  }

  /** Posts every webhook that is due now; returns how many were delivered. */
  public int runWebhooks() {
    Instant now = clock.instant();
    int delivered = 0;
    while (true) {
      List<Row> claimed = claimWebhooks(now);
      if (claimed.isEmpty()) {
        return delivered;
      }
      Map<Long, RuntimeException> failed = postAll(claimed);
      Integer recorded = tx.execute(status -> record(claimed, failed));
      delivered += recorded == null ? 0 : recorded;
      if (claimed.size() < BATCH) {
        return delivered;
      }
    }
  }

  /** Takes up to {@link #BATCH} due webhooks and leases them, in one short transaction. */
  private List<Row> claimWebhooks(Instant due) {
    List<Row> rows =
        tx.execute(
            status -> {
              List<Row> taken =
                  jdbc.sql(
                          "select id, kind, target, endpoint_id, subscription_id, payload, attempts"
                              + " from outbox where state = 'PENDING' and next_attempt_at <= ?"
                              + " and kind = ? order by next_attempt_at, id limit "
                              + BATCH
                              + " for update skip locked")
                      .params(Db.ts(due), Outbox.WEBHOOK)
                      .query(DeliveryWorker::row)
                      .list();
              Object leasedUntil = Db.ts(clock.instant().plus(WEBHOOK_LEASE));
              batch.batchUpdate(
                  "update outbox set next_attempt_at = ? where id = ?",
                  taken.stream().map(r -> new Object[] {leasedUntil, r.id()}).toList());
              return taken;
            });
    return rows == null ? List.of() : rows;
  }

  /** Posts the claimed webhooks in parallel, outside any transaction; the failures by row. */
  private Map<Long, RuntimeException> postAll(List<Row> rows) {
    Map<Long, Future<?>> posts = new LinkedHashMap<>();
    for (Row row : rows) {
      posts.put(
          row.id(),
          senders.submit(
              () -> webhooks.post(row.id(), row.endpointId(), row.target(), row.payload())));
    }
    Map<Long, RuntimeException> failed = new HashMap<>();
    for (Map.Entry<Long, Future<?>> post : posts.entrySet()) {
      try {
        post.getValue().get();
      } catch (ExecutionException e) {
        failed.put(
            post.getKey(),
            e.getCause() instanceof RuntimeException r
                ? r
                : new IllegalStateException(String.valueOf(e.getCause()), e.getCause()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failed.put(post.getKey(), new IllegalStateException("interrupted (shutting down)", e));
      }
    }
    return failed;
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
              if (dialect.postgres()) {
                // Asynchronous commit: a batch's outcome lost to a database crash leaves its rows
                // PENDING, and they are sent again, as when the server crashes before the commit
                // (delivery is at least once). No wait for the disk per batch. Generic plans: the
                // batch's statements read and write by key, and planning the delivered rows' update
                // anew for its 50 ids each time cost more than running it.
                jdbc.sql(
                        "select set_config('synchronous_commit', 'off', true),"
                            + " set_config('plan_cache_mode', 'force_generic_plan', true)")
                    .query()
                    .listOfRows();
              }
              List<Row> rows =
                  jdbc.sql(
                          "select id, kind, target, endpoint_id, subscription_id, payload, attempts"
                              + " from outbox where state = 'PENDING' and next_attempt_at <= ?"
                              + " and kind = ? order by next_attempt_at, id limit "
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

  /** Writes every row's attempt and new state in a few statements. */
  private int record(List<Row> rows, Map<Long, RuntimeException> failed) {
    Instant now = clock.instant();
    List<Object[]> attempts = new ArrayList<>();
    List<Object> delivered = new ArrayList<>();
    List<Object[]> retries = new ArrayList<>();
    List<Object[]> cancelled = new ArrayList<>();
    for (Row row : rows) {
      RuntimeException e = failed.get(row.id());
      String error = e == null ? null : describe(e);
      attempts.add(new Object[] {row.id(), Db.ts(now), e == null, error});
      int attempt = row.attempts() + 1;
      if (e == null) {
        delivered.add(row.id());
        continue;
      }
      if (e instanceof WebhookTransport.EndpointDisabledException) {
        cancelled.add(new Object[] {Delivery.CANCELLED, "endpoint disabled", row.id()});
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
    MultiRowInsert.insert(
        batch,
        "insert into delivery_attempts (outbox_id, attempted_at, succeeded, error)",
        "(?, ?, ?, ?)",
        "",
        attempts);
    // Only rows still PENDING: a webhook's row is recorded after its post, outside the claim's
    // transaction, and may have been cancelled meanwhile (its endpoint disabled), or delivered by
    // another server once its lease ran out. Neither may be undone. The delivered rows of a batch
    // are one statement (a batch of 50 single-row updates was the larger part of PostgreSQL's
    // time while delivering). STILL_PENDING is written so that it cannot pick the index: with the
    // statistics of an idle outbox (no PENDING row at the last analyze) PostgreSQL read every
    // pending row through outbox_due for each batch, rather than the batch's rows by key.
    if (!delivered.isEmpty()) {
      List<Object> params = new ArrayList<>(delivered.size() + 1);
      params.add(Db.ts(now));
      params.addAll(delivered);
      jdbc.sql(
              "update outbox set state = 'DELIVERED', attempts = attempts + 1, delivered_at = ?,"
                  + " last_error = null where "
                  + STILL_PENDING
                  + " and id in ("
                  + String.join(", ", Collections.nCopies(delivered.size(), "?"))
                  + ")")
          .params(params)
          .update();
    }
    batch.batchUpdate(
        "update outbox set state = ?, attempts = ?, next_attempt_at = ?, last_error = ? where id ="
            + " ? and "
            + STILL_PENDING,
        retries);
    batch.batchUpdate(
        "update outbox set state = ?, last_error = ? where id = ? and " + STILL_PENDING, cancelled);
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
