package dev.keyturn.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A clock for tests and demos that moves only when told to, with the monotonic ticker that goes
 * with it. It tells apart the two ways time changes on a real machine:
 *
 * <ul>
 *   <li>{@link #advance(Duration)}: time passes; the wall clock and the ticker both move;
 *   <li>{@link #set(Instant)}: someone sets the wall clock; the ticker does not move.
 * </ul>
 *
 * <p>A {@link LicenseManager} built with this clock uses its {@link #nanoTime()} as ticker, so a
 * demo can rehearse a whole license year: {@code clock.advance(Duration.ofDays(340));
 * licenses.refreshIfDue();}
 */
public final class SettableClock extends Clock {
  private final Time time;
  private final ZoneId zone;

  public SettableClock(Instant start) {
    this(new Time(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
  }

  private SettableClock(Time time, ZoneId zone) {
    this.time = time;
    this.zone = zone;
  }

  /** Sets the wall clock, as an administrator (or someone trying their luck) would. */
  public void set(Instant instant) {
    time.set(Objects.requireNonNull(instant, "instant"));
  }

  /** Lets time pass. */
  public void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException(
          "time passes forward only; use set() to turn the clock back");
    }
    time.advance(duration);
  }

  /** The monotonic ticker, like {@link System#nanoTime()}. */
  public long nanoTime() {
    return time.ticks();
  }

  @Override
  public Instant instant() {
    return time.now();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** A view in another zone sharing the same time. */
  @Override
  public Clock withZone(ZoneId zone) {
    return new SettableClock(time, zone);
  }

  @Override
  public String toString() {
    return "SettableClock[" + time.now() + "]";
  }

  private static final class Time {
    private Instant now;
    private long ticks;

    Time(Instant start) {
      this.now = start;
    }

    synchronized Instant now() {
      return now;
    }

    synchronized long ticks() {
      return ticks;
    }

    synchronized void set(Instant instant) {
      now = instant;
    }

    synchronized void advance(Duration duration) {
      now = now.plus(duration);
      ticks += duration.toNanos();
    }
  }
}
