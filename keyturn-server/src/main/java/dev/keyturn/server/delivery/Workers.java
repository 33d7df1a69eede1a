package dev.keyturn.server.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Runs one drain loop on several threads and waits for all of them: how the sweep and the delivery
 * worker work through a backlog, each thread on its own connection, kept apart by row locks.
 */
public final class Workers {
  private Workers() {}

  /**
   * Runs {@code drain} on {@code threads} threads; returns the sum of what they return. A failure
   * is rethrown once every thread has ended.
   */
  public static int drainInParallel(int threads, String name, IntSupplier drain) {
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
        runs.add(pool.submit(drain::getAsInt));
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
