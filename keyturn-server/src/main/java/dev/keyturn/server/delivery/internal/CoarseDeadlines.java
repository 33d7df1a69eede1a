package dev.keyturn.server.delivery.internal;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One-shot tasks that run when their deadline has passed, checked by one watchdog thread once per
 * tick: for deadlines that are nearly always cancelled long before they fall due, at a fraction of
 * a {@link ScheduledThreadPoolExecutor}'s cost. Scheduling and cancelling are an insert into and a
 * removal from a concurrent set, and never wake a thread; a scheduled executor's queue wakes its
 * thread whenever a new task becomes the earliest, which for short-lived deadlines is nearly every
 * one. A task runs at most one tick late. Only {@code schedule} (and {@code execute}, at the next
 * tick) is supported: there is nothing periodic to run here.
 */
final class CoarseDeadlines extends AbstractExecutorService implements ScheduledExecutorService {
  private final Set<Deadline<?>> pending = ConcurrentHashMap.newKeySet();
  private final ScheduledThreadPoolExecutor watchdog;

  CoarseDeadlines(String threadName, Duration tick) {
    watchdog =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    long nanos = tick.toNanos();
    watchdog.scheduleWithFixedDelay(this::runOverdue, nanos, nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> task, long delay, TimeUnit unit) {
    if (watchdog.isShutdown()) {
      throw new RejectedExecutionException("the deadlines' watchdog is shut down");
    }
    Deadline<V> deadline = new Deadline<>(task, System.nanoTime() + unit.toNanos(delay));
    pending.add(deadline);
    return deadline;
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
    return schedule(Executors.callable(task), delay, unit);
  }

  @Override
  public void execute(Runnable task) {
    schedule(task, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable task, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException("deadlines are one-shot");
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable task, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("deadlines are one-shot");
  }

  /** Deadlines neither run nor cancelled yet. */
  int pending() {
    return pending.size();
  }

  /** Runs each task whose deadline has passed (the watchdog's tick). */
  void runOverdue() {
    long now = System.nanoTime();
    for (Deadline<?> deadline : pending) {
      if (now - deadline.at >= 0) {
        deadline.run(); // a no-op if it was cancelled meanwhile
      }
    }
  }

  @Override
  public void shutdown() {
    watchdog.shutdown();
  }

  @Override
  public List<Runnable> shutdownNow() {
    watchdog.shutdownNow();
    pending.clear();
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return watchdog.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return watchdog.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return watchdog.awaitTermination(timeout, unit);
  }

  private final class Deadline<V> extends FutureTask<V> implements ScheduledFuture<V> {
    private final long at;

    Deadline(Callable<V> task, long at) {
      super(task);
      this.at = at;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(at - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    /**
     * Never interrupts: the task runs on the watchdog, whose next task an interrupt left behind
     * would meet (closing a socket cannot be interrupted anyway).
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      return super.cancel(false);
    }

    @Override
    protected void done() {
      pending.remove(this);
    }
  }
}
