package dev.keyturn.server.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
}
