package dev.keyturn.server.clock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that runs like the real one but can be moved forward, so a vendor can rehearse "thirty
 * days later" without waiting. Time keeps flowing between moves; it never goes backwards, because
 * every stored instant (issued, revoked, notified) would otherwise come from the future.
 */
public final class TestClock extends Clock {
  private final Clock base;
  private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

  public TestClock(Clock base) {
    this.base = base;
  }

  @Override
  public Instant instant() {
    return base.instant().plus(offset.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    TestClock self = this;
    // A view in another zone that still follows every move of this clock.
    return new Clock() {
      @Override
      public Instant instant() {
        return self.instant();
      }

      @Override
      public ZoneId getZone() {
        return zone;
      }

      @Override
      public Clock withZone(ZoneId other) {
        return self.withZone(other);
      }
    };
  }

  public Duration offset() {
    return offset.get();
  }

  /**
   * @throws IllegalArgumentException for a negative duration
   */
  public Instant advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("cannot move the clock back by " + by);
    }
    offset.accumulateAndGet(by, Duration::plus);
    return instant();
  }

  /**
   * @throws IllegalArgumentException when {@code target} is before the current time
   */
  public synchronized Instant set(Instant target) {
    Instant now = instant();
    if (target.isBefore(now)) {
      throw new IllegalArgumentException(
          "cannot set the clock back to " + target + "; it is already " + now);
    }
    return advance(Duration.between(now, target));
  }
}
