package dev.keyturn.server.checkin.internal;

import dev.keyturn.server.subscription.Subscriptions;
import dev.keyturn.server.usage.CheckInUsage;
import dev.keyturn.server.usage.UsageHistory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit of check-in writes. A written check-in updates its subscription's row and adds to
 * the usage history; one fleet's check-ins all update the same rows (the subscription, the day's
 * maxima). Written one transaction per check-in, each waits for the row lock held by the previous
 * one until that one's commit is durable, so the throughput was one synchronous commit at a time.
 *
 * <p>Here a request queues its write and takes the writer lock. Whoever holds the lock writes
 * everything queued so far in one transaction and one commit; a request whose write was committed
 * by the holder before it got the lock returns at once. Each request returns only after the commit
 * that holds its write, so an answered check-in is as durable as before; while one group commits,
 * the next one gathers. There is no thread of its own: nothing to start, stop or drain.
 */
@Component
class CheckInWriter {
  /** Check-ins per transaction: keeps statements and lock spans bounded under a burst. */
  static final int MAX_GROUP = 64;

  private final Subscriptions subscriptions;
  private final UsageHistory usageHistory;
  private final TransactionTemplate tx;
  private final Queue<Write> queued = new ConcurrentLinkedQueue<>();
  private final ReentrantLock writing = new ReentrantLock();

  CheckInWriter(Subscriptions subscriptions, UsageHistory usageHistory, TransactionTemplate tx) {
    this.subscriptions = subscriptions;
    this.usageHistory = usageHistory;
    // Always a transaction of its own: joined to a caller's, the group (other requests' writes)
    // would commit only when that caller's did, after those requests were told it had.
    this.tx = new TransactionTemplate(tx.getTransactionManager(), tx);
    this.tx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
  }

  /** One check-in's writes; {@code stored} and {@code failure} are guarded by the writer lock. */
  private static final class Write {
    final Subscriptions.LastCheckIn last;
    final CheckInUsage usage;
    boolean stored;
    RuntimeException failure;

    Write(Subscriptions.LastCheckIn last, CheckInUsage usage) {
      this.last = last;
      this.usage = usage;
    }

    boolean settled() {
      return stored || failure != null;
    }
  }

  /**
   * Stores the check-in (the subscription's last report, the raw report and the day's maxima) and
   * returns once that is committed.
   *
   * @throws RuntimeException what storing it threw: the same as writing it alone would throw (a
   *     database that does not answer is a {@link DataAccessResourceFailureException}, 503)
   */
  void write(Subscriptions.LastCheckIn last, CheckInUsage usage) {
    Write mine = new Write(last, usage);
    queued.add(mine);
    writing.lock();
    try {
      // The queue is first in, first out and mine is in it: at most a few groups ahead of it.
      while (!mine.settled()) {
        writeGroup(takeGroup());
      }
    } finally {
      writing.unlock();
    }
    if (!mine.stored) {
      throw mine.failure;
    }
  }

  private List<Write> takeGroup() {
    List<Write> group = new ArrayList<>();
    Write next;
    while (group.size() < MAX_GROUP && (next = queued.poll()) != null) {
      group.add(next);
    }
    return group;
  }

  private void writeGroup(List<Write> group) {
    try {
      tx.executeWithoutResult(status -> store(group));
      group.forEach(w -> w.stored = true);
    } catch (DataAccessResourceFailureException | CannotCreateTransactionException e) {
      // The database does not answer: every write of the group is told so (503) at once.
      RuntimeException unavailable =
          e instanceof DataAccessResourceFailureException
              ? e
              : new DataAccessResourceFailureException("no transaction for check-ins", e);
      group.forEach(w -> w.failure = unavailable);
    } catch (RuntimeException e) {
      // Whatever one write did wrong must not fail the others: each again, alone, as before.
      for (Write w : group) {
        try {
          tx.executeWithoutResult(status -> store(List.of(w)));
          w.stored = true;
        } catch (RuntimeException alone) {
          w.failure = alone;
        }
      }
    } finally {
      // Only after an Error: the requests waiting for these writes must not wait forever.
      for (Write w : group) {
        if (!w.settled()) {
          w.failure = new IllegalStateException("check-in not stored");
        }
      }
    }
  }

  private void store(List<Write> group) {
    // A subscription's row takes the last of its check-ins in the group, as a serial order would.
    Map<String, Subscriptions.LastCheckIn> last = new LinkedHashMap<>();
    List<CheckInUsage> usage = new ArrayList<>(group.size());
    for (Write w : group) {
      last.put(w.last.subscriptionId(), w.last);
      usage.add(w.usage);
    }
    subscriptions.recordCheckIns(last.values());
    usageHistory.store(usage);
  }
}
