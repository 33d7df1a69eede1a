package dev.keyturn.server.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TestClockTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  @Test
  void runs_with_its_base_clock_plus_the_offset() {
    TestClock clock = new TestClock(Clock.fixed(T0, ZoneOffset.UTC));
    assertThat(clock.instant()).isEqualTo(T0);
    clock.advance(Duration.ofDays(30));
    assertThat(clock.instant()).isEqualTo(T0.plus(Duration.ofDays(30)));
    assertThat(clock.set(Instant.parse("2027-01-01T00:00:00Z")))
        .isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
  }

  @Test
  void a_view_in_another_zone_follows_the_moves() {
    TestClock clock = new TestClock(Clock.fixed(T0, ZoneOffset.UTC));
    Clock tokyo = clock.withZone(ZoneId.of("Asia/Tokyo"));
    clock.advance(Duration.ofHours(5));
    assertThat(tokyo.instant()).isEqualTo(T0.plus(Duration.ofHours(5)));
    assertThat(tokyo.getZone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
  }

  @Test
  void refuses_to_go_back() {
    TestClock clock = new TestClock(Clock.fixed(T0, ZoneOffset.UTC));
    assertThatThrownBy(() -> clock.set(T0.minusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot set the clock back");
    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(clock.instant()).isEqualTo(T0);
  }

  @Test
  void another_replica_s_move_shows_within_a_second_and_its_own_at_once() {
    OffsetStore database = OffsetStore.inMemory();
    AtomicLong nanos = new AtomicLong();
    TestClock here = new TestClock(Clock.fixed(T0, ZoneOffset.UTC), database, nanos::get);
    TestClock there = new TestClock(Clock.fixed(T0, ZoneOffset.UTC), database, nanos::get);

    there.advance(Duration.ofDays(30));
    assertThat(there.instant()).isEqualTo(T0.plus(Duration.ofDays(30)));
    assertThat(here.instant()).as("read less than half a second ago").isEqualTo(T0);

    nanos.addAndGet(TestClock.MAX_STALENESS.toNanos());
    assertThat(here.instant()).isEqualTo(T0.plus(Duration.ofDays(30)));

    there.advance(Duration.ofDays(1));
    assertThat(here.refresh()).as("a read on demand").isEqualTo(Duration.ofDays(31));
  }

  @Test
  void a_restarted_clock_resumes_from_the_stored_offset() {
    OffsetStore database = OffsetStore.inMemory();
    new TestClock(Clock.fixed(T0, ZoneOffset.UTC), database).advance(Duration.ofDays(12));
    assertThat(new TestClock(Clock.fixed(T0, ZoneOffset.UTC), database).instant())
        .isEqualTo(T0.plus(Duration.ofDays(12)));
  }

  @Test
  void a_set_never_undoes_a_later_time_another_replica_set() {
    OffsetStore database = OffsetStore.inMemory();
    TestClock here = new TestClock(Clock.fixed(T0, ZoneOffset.UTC), database);
    TestClock there = new TestClock(Clock.fixed(T0, ZoneOffset.UTC), database);
    there.set(T0.plus(Duration.ofDays(10)));

    // This clock has not read the store since: it still shows T0, yet the store refuses.
    assertThatThrownBy(() -> here.set(T0.plus(Duration.ofDays(5))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("it is already " + T0.plus(Duration.ofDays(10)));
    assertThat(database.read()).isEqualTo(Duration.ofDays(10));
    assertThat(here.instant()).isEqualTo(T0.plus(Duration.ofDays(10)));
  }

  @Test
  void while_the_store_cannot_be_read_the_clock_runs_on_its_last_offset() {
    AtomicBoolean down = new AtomicBoolean();
    OffsetStore memory = OffsetStore.inMemory();
    OffsetStore database =
        watching(
            memory,
            () -> {
              if (down.get()) {
                throw new IllegalStateException("connection refused");
              }
            });
    AtomicLong nanos = new AtomicLong();
    TestClock clock = new TestClock(Clock.fixed(T0, ZoneOffset.UTC), database, nanos::get);
    clock.advance(Duration.ofHours(3));

    down.set(true);
    nanos.addAndGet(TestClock.MAX_STALENESS.toNanos());
    assertThat(clock.instant()).isEqualTo(T0.plus(Duration.ofHours(3)));
    down.set(false);
    memory.advance(Duration.ofHours(1), TestClock.MAX_OFFSET);
    nanos.addAndGet(TestClock.MAX_STALENESS.toNanos());
    assertThat(clock.instant()).isEqualTo(T0.plus(Duration.ofHours(4)));
  }

  @Test
  void refuses_to_run_more_than_a_century_ahead() {
    TestClock clock = new TestClock(Clock.fixed(T0, ZoneOffset.UTC));
    clock.advance(TestClock.MAX_OFFSET.minusDays(1));
    assertThatThrownBy(() -> clock.advance(Duration.ofDays(2)))
        .isInstanceOf(TestClock.TooFarException.class)
        .hasMessageContaining("36525 days");
    assertThatThrownBy(() -> clock.set(T0.plus(TestClock.MAX_OFFSET).plusSeconds(1)))
        .isInstanceOf(TestClock.TooFarException.class);
    assertThat(clock.instant()).isEqualTo(T0.plus(TestClock.MAX_OFFSET.minusDays(1)));
  }

  @Test
  void set_lands_on_the_target_even_below_a_microsecond() {
    TestClock clock = new TestClock(Clock.fixed(T0.plusNanos(400), ZoneOffset.UTC));
    Instant target = T0.plusSeconds(60);
    assertThat(clock.set(target)).isBetween(target, target.plusNanos(1_000));
  }

  @Test
  void the_server_s_clock_reads_the_store_on_its_own_thread_and_never_when_read() {
    OffsetStore memory = OffsetStore.inMemory();
    List<String> readers = new CopyOnWriteArrayList<>();
    OffsetStore database = watching(memory, () -> readers.add(Thread.currentThread().getName()));
    try (TestClock clock =
        TestClock.refreshedInBackground(Clock.fixed(T0, ZoneOffset.UTC), database)) {
      readers.clear(); // the read at construction
      memory.advance(Duration.ofDays(1), TestClock.MAX_OFFSET); // another replica's move
      await()
          .atMost(TestClock.MAX_STALENESS.plusSeconds(2)) // a loaded machine's scheduling
          .until(() -> clock.instant().equals(T0.plus(Duration.ofDays(1))));
      assertThat(readers).isNotEmpty().containsOnly("keyturn-test-clock");
    }
  }

  /** The store, with {@code beforeRead} run at every read (it may throw, as a database would). */
  private static OffsetStore watching(OffsetStore store, Runnable beforeRead) {
    return new OffsetStore() {
      @Override
      public Duration read() {
        beforeRead.run();
        return store.read();
      }

      @Override
      public boolean advance(Duration by, Duration limit) {
        return store.advance(by, limit);
      }

      @Override
      public boolean raiseTo(Duration target) {
        return store.raiseTo(target);
      }
    };
  }
}
