package dev.keyturn.server.lifecycle;

import dev.keyturn.core.lifecycle.Lifecycle;
import dev.keyturn.server.config.AutomationProperties;
import dev.keyturn.server.delivery.Workers;
import dev.keyturn.server.jdbc.Dialect;
import dev.keyturn.server.license.LicenseIssued;
import dev.keyturn.server.lifecycle.internal.GapDetector;
import dev.keyturn.server.lifecycle.internal.Transitions;
import dev.keyturn.server.subscription.Subscription;
import dev.keyturn.server.subscription.Subscriptions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The lifecycle sweep. Each subscription stores when it next needs a look ({@code
 * subscription_lifecycle.next_transition_at}, indexed); a sweep takes the due subscriptions in
 * batches, locking their rows with {@code FOR UPDATE SKIP LOCKED}, so its cost follows the work
 * that is due and two servers never handle one subscription at once. {@link Transitions} applies a
 * batch set by set: phase changes as events and at most one notice per subscription, the most
 * urgent stage crossed and not yet notified ({@link Lifecycle#noticeDue}), guarded by the unique
 * (subscription, license, stage, channel) key of {@code notices}. When the first batch is full (a
 * catch-up), further batches run in parallel on their own connections: the row locks keep them
 * apart, as they keep two servers apart.
 */
@Component
public class Sweep {
  public static final String ACTOR = "system:sweep";

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
  private final Subscriptions subscriptions;

  Sweep(
      JdbcClient jdbc,
      TransactionTemplate tx,
      Clock clock,
      Transitions transitions,
      GapDetector gaps,
      AutomationProperties settings,
      Dialect dialect,
      Subscriptions subscriptions) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.clock = clock;
    this.transitions = transitions;
    this.gaps = gaps;
    this.settings = settings;
    this.dialect = dialect;
    this.subscriptions = subscriptions;
  }

  /** Applies every transition due now, batch by batch; returns how many subscriptions it saw. */
  public int run() {
    Instant now = clock.instant();
    int batchSize = settings.sweep().batchSize();
    AtomicReference<Instant> floor = new AtomicReference<>();
    int seen =
        Workers.run(
            batchSize,
            PARALLEL_BATCHES,
            "keyturn-sweep",
            () -> {
              int n = batch(now, floor);
              return new Workers.Batch(n, n);
            });
    return seen + gaps.detect(now);
  }

  /**
   * One transaction: locks up to a batch of due rows and brings them up to date.
   *
   * <p>{@code floor} is how far this run's batches have got along {@code next_transition_at}: each
   * batch starts there rather than at the oldest due instant. A handled row moves on (its next
   * instant is in the future), but its old index entry stays until vacuum, and a scan from the
   * start would step over every one of them again: a catch-up of 100,000 rows made 200 batches walk
   * ever longer runs of dead entries. The floor is inclusive, so rows sharing the last instant of a
   * batch are still found; rows below it that another batch of this run had locked are that
   * batch's, and if it fails they are due again at the next sweep, as when a run fails.
   */
  private int batch(Instant now, AtomicReference<Instant> floor) {
    Integer n =
        tx.execute(
            status -> {
              if (dialect.postgres()) {
                sweepSettings();
              }
              List<Subscription> due =
                  subscriptions.lockDue(floor.get(), now, settings.sweep().batchSize());
              if (!due.isEmpty()) {
                Instant last = due.get(due.size() - 1).nextTransitionAt();
                floor.accumulateAndGet(last, (a, b) -> a == null || b.isAfter(a) ? b : a);
              }
              transitions.applyTo(due, now);
              return due.size();
            });
    return n == null ? 0 : n;
  }

  /**
   * The sweep's own transactions on PostgreSQL, each setting for this transaction only:
   *
   * <ul>
   *   <li>asynchronous commit: a batch lost to a database crash is lost whole (claims, outbox rows,
   *       events, new state) and the next sweep redoes it;
   *   <li>no JIT: compiling costs more than these short statements run;
   *   <li>no sequential scans: every statement of a batch reads by key, but on a new server (or
   *       after a purge) the statistics say {@code notices} and {@code events} are nearly empty,
   *       the planner picks a sequential scan, and that plan stays cached on the connection while
   *       the catch-up fills the tables: each batch then reads every row written before it.
   *   <li>generic plans: the same statements run for every batch (with hundreds of values), and
   *       planning each anew for its values cost up to a millisecond per statement, more than
   *       running it; with sequential scans off, the generic plans read by key as well.
   * </ul>
   *
   * bench/server-sweep/README.md has the figures.
   */
  private void sweepSettings() {
    jdbc.sql(
            "select set_config('synchronous_commit', 'off', true), set_config('jit', 'off', true),"
                + " set_config('enable_seqscan', 'off', true), set_config('plan_cache_mode',"
                + " 'force_generic_plan', true)")
        .query()
        .listOfRows();
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
