package dev.keyturn.server.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CoarseDeadlinesTest {
  private final CoarseDeadlines deadlines =
      new CoarseDeadlines("test-deadlines", Duration.ofMillis(10));

  @AfterEach
  void stop() {
    deadlines.shutdownNow();
  }

  @Test
  void a_deadline_that_passes_runs_its_task_once_and_not_before() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    AtomicLong ranAt = new AtomicLong();
    CountDownLatch ran = new CountDownLatch(1);
    long scheduledAt = System.nanoTime();
    ScheduledFuture<String> deadline =
        deadlines.schedule(
            () -> {
              ranAt.set(System.nanoTime());
              runs.incrementAndGet();
              ran.countDown();
              return "timed out";
            },
            100,
            TimeUnit.MILLISECONDS);

    assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(deadline.get(1, TimeUnit.SECONDS)).isEqualTo("timed out");
    assertThat(ranAt.get() - scheduledAt)
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    assertThat(deadline.cancel(true)).as("too late to cancel").isFalse();
    Thread.sleep(50); // several more ticks
    assertThat(runs).hasValue(1);
    assertThat(deadlines.pending()).isZero();
  }

  @Test
  void cancelled_deadlines_never_run_and_leave_nothing_behind() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    for (int i = 0; i < 10_000; i++) {
      ScheduledFuture<Integer> deadline =
          deadlines.schedule(runs::incrementAndGet, 20, TimeUnit.MILLISECONDS);
      assertThat(deadline.cancel(true)).isTrue();
    }
    assertThat(deadlines.pending()).isZero();
    Thread.sleep(60); // past every deadline, several ticks
    assertThat(runs).hasValue(0);
  }

  @Test
  void after_shutdown_nothing_more_is_taken_and_nothing_periodic_ever_was() {
    assertThatThrownBy(() -> deadlines.scheduleAtFixedRate(() -> {}, 1, 1, TimeUnit.SECONDS))
        .isInstanceOf(UnsupportedOperationException.class);
    deadlines.shutdown();
    assertThat(deadlines.isShutdown()).isTrue();
    assertThatThrownBy(() -> deadlines.schedule(() -> 1, 1, TimeUnit.SECONDS))
        .isInstanceOf(RejectedExecutionException.class);
  }
}
