package dev.keyturn.server.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * How the sweep and the delivery worker work through what is due: one batch on the calling thread
 * and, when it was full (a backlog), batches on several threads until one comes back short. Each
 * batch is its own transaction on its own connection; row locks ({@code SKIP LOCKED}) keep the
 * threads apart, as they keep two servers apart.
 */
public final class Workers {
  /**
   * @param taken rows the batch locked (a full batch means more may be due)
   * @param counted what the caller sums (subscriptions seen, mails delivered)
   */
  public record Batch(int taken, int counted) {}

  private Workers() {}

  /** Runs batches until one is short; returns the sum of their counts. */
  public static int run(int batchSize, int threads, String name, Supplier<Batch> batch) {
    Batch first = batch.get();
    if (first.taken() < batchSize) {
      return first.counted();
    }
    return first.counted() + inParallel(threads, name, () -> drain(batchSize, batch));
  }

  private static int drain(int batchSize, Supplier<Batch> batch) {
    int total = 0;
    while (true) {
      Batch b = batch.get();
      total += b.counted();
      if (b.taken() < batchSize) {
        return total;
      }
    }
  }

  /** Runs {@code drain} on each thread; a failure is rethrown once every thread has ended. */
  private static int inParallel(int threads, String name, Supplier<Integer> drain) {
    AtomicInteger started = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, name + "-" + started.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<Integer>> runs = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        runs.add(pool.submit(drain::get));
      }
      int total = 0;
      RuntimeException failure = null;
      for (Future<Integer> run : runs) {
        try {
          total += run.get();
        } catch (ExecutionException e) {
          failure =
              e.getCause() instanceof RuntimeException r
                  ? r
                  : new IllegalStateException(name + " failed", e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
      }
      if (failure != null) {
        throw failure;
      }
      return total;
    } finally {
      pool.shutdown();
    }
  }
}
