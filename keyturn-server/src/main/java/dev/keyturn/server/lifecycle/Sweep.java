package dev.keyturn.server.lifecycle;

import dev.keyturn.core.lifecycle.Lifecycle;
import dev.keyturn.server.delivery.Workers;
import dev.keyturn.server.license.LicenseIssued;
import dev.keyturn.server.system.AutomationProperties;
import dev.keyturn.server.system.Db;
import dev.keyturn.server.system.Dialect;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The lifecycle sweep. Each subscription stores when it next needs a look ({@code
 * next_transition_at}, indexed); a sweep takes the due rows in batches with {@code FOR UPDATE SKIP
 * LOCKED}, so its cost follows the work that is due and two servers never handle one subscription
 * at once. {@link Transitions} applies a batch set by set: phase changes as events and at most one
 * notice per subscription, the most urgent stage crossed and not yet notified ({@link
 * Lifecycle#noticeDue}), guarded by the unique (subscription, license, stage, channel) key of
 * {@code notices}. When the first batch is full (a catch-up), further batches run in parallel on
 * their own connections: the row locks keep them apart, as they keep two servers apart.
 */
@Component
public class Sweep {
  public static final String ACTOR = "system:sweep";
  static final String EMAIL = "email";
  static final String WEBHOOK = "webhook";
  static final String RENEWAL = "renewal";

  /**
   * Batches in flight at once during a catch-up. The work of a batch is mostly waiting for the
   * database, so a few overlap well even on two cores; more would only queue on the pool.
   */
  static final int PARALLEL_BATCHES = 3;

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final Transitions transitions;
  private final GapDetector gaps;
  private final AutomationProperties settings;
  private final Dialect dialect;

  Sweep(
      JdbcClient jdbc,
      TransactionTemplate tx,
      Clock clock,
      Transitions transitions,
      GapDetector gaps,
      AutomationProperties settings,
      Dialect dialect) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.clock = clock;
    this.transitions = transitions;
    this.gaps = gaps;
    this.settings = settings;
    this.dialect = dialect;
  }

  /** Applies every transition due now, batch by batch; returns how many subscriptions it saw. */
  public int run() {
    Instant now = clock.instant();
    int batchSize = settings.sweep().batchSize();
    int seen =
        Workers.run(
            batchSize,
            PARALLEL_BATCHES,
            "keyturn-sweep",
            () -> {
              int n = batch(now);
              return new Workers.Batch(n, n);
            });
    return seen + gaps.detect(now);
  }

  /** One transaction: locks up to a batch of due rows and brings them up to date. */
  private int batch(Instant now) {
    Integer n =
        tx.execute(
            status -> {
              if (dialect.postgres()) {
                // Asynchronous commit: a batch lost to a database crash is lost whole (claims,
                // outbox rows, events, new state) and the next sweep redoes it; no JIT: compiling
                // costs more than these short statements run (bench/server-sweep/README.md).
                jdbc.sql("set local synchronous_commit = off").update();
                jdbc.sql("set local jit = off").update();
              }
              List<String> due =
                  jdbc.sql(
                          "select id from subscriptions where next_transition_at <= ? and"
                              + " archived_at is null order by next_transition_at limit "
                              + settings.sweep().batchSize()
                              + " for update skip locked")
                      .param(Db.ts(now))
                      .query(String.class)
                      .list();
              transitions.apply(due, now);
              return due.size();
            });
    return n == null ? 0 : n;
  }

  @EventListener
  void onLicenseIssued(LicenseIssued issued) {
    apply(issued.subscriptionId(), clock.instant());
  }

  /**
   * Brings one subscription up to date at {@code now}. The caller holds its row lock (issuance
   * after a payment, which so reactivates at once).
   */
  public void apply(String subscriptionId, Instant now) {
    transitions.apply(List.of(subscriptionId), now);
  }
}
