package dev.keyturn.client.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.client.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ClockGuardTest {
  static final Instant T0 = Instant.parse("2027-03-01T12:00:00Z");
  final SettableClock clock = new SettableClock(T0);

  ClockGuard guard(Instant floor) {
    return new ClockGuard(clock, clock::nanoTime, Duration.ofHours(1), floor);
  }

  @Test
  void follows_a_correct_clock_exactly() {
    ClockGuard g = guard(T0);
    clock.advance(Duration.ofDays(3));
    GuardedTime t = g.observe();
    assertThat(t.effective()).isEqualTo(T0.plus(Duration.ofDays(3)));
    assertThat(t.behind()).isZero();
    assertThat(t.rollback()).isFalse();
  }

  @Test
  void starts_from_a_floor_ahead_of_the_clock() {
    GuardedTime t = guard(T0.plus(Duration.ofDays(2))).observe();
    assertThat(t.effective()).isEqualTo(T0.plus(Duration.ofDays(2)));
    assertThat(t.behind()).isEqualTo(Duration.ofDays(2));
    assertThat(t.rollback()).isTrue();
  }

  @Test
  void credits_monotonic_time_at_99_9_percent_while_the_clock_is_behind() {
    ClockGuard g = guard(T0);
    g.observe();
    clock.set(T0.minus(Duration.ofDays(100)));
    clock.advance(Duration.ofSeconds(1000));

    GuardedTime t = g.observe();
    assertThat(t.effective()).isEqualTo(T0.plusSeconds(999));
    assertThat(t.rollback()).isTrue();
  }

  @Test
  void small_repeated_turn_backs_do_not_freeze_time() {
    ClockGuard g = guard(T0);
    for (int hour = 0; hour < 48; hour++) {
      clock.advance(Duration.ofMinutes(59));
      clock.set(clock.instant().minus(Duration.ofMinutes(59))); // always back to T0
      g.observe();
    }
    GuardedTime t = g.observe();
    assertThat(t.clock()).isEqualTo(T0);
    assertThat(t.effective()).isAfter(T0.plus(Duration.ofHours(47)));
    assertThat(t.rollback()).isTrue();
  }

  @Test
  void a_clock_fixed_forward_after_a_dead_bios_battery_is_simply_believed() {
    ClockGuard g = guard(T0);
    clock.set(Instant.parse("2000-01-01T00:00:00Z"));
    assertThat(g.observe().rollback()).isTrue();
    clock.advance(Duration.ofMinutes(5));
    clock.set(T0.plus(Duration.ofMinutes(5)));

    GuardedTime t = g.observe();
    assertThat(t.effective()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    assertThat(t.rollback()).isFalse();
  }
}
