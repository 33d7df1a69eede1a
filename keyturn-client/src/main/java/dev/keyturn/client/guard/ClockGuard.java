package dev.keyturn.client.guard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Turns a wall clock that the machine's owner can set into a licensing time that never goes back.
 *
 * <p>It keeps a high-water mark: the latest licensing time reached. Each reading takes the later of
 * the wall clock and the high-water mark advanced by the time that really passed since the last
 * reading, measured on the monotonic ticker ({@link System#nanoTime()}), which setting the wall
 * clock does not move. So turning the clock back neither moves licensing back nor stops it: while
 * the product runs, licensing time keeps flowing from the mark.
 *
 * <p>Only 999/1000 of the monotonic time is credited. The wall clock and the ticker drift apart by
 * a few parts per million, and a mark that ran even slightly faster than a correct wall clock
 * would, after months of uptime, report a rollback that never happened; the 0.1% margin lets the
 * wall clock always win in normal operation, at the cost of 86 seconds per day while the clock is
 * actually behind.
 *
 * <p>The mark survives restarts through the signed state file (see {@code StateStore}); time while
 * the product is stopped is not counted, because there is nothing to count it with.
 */
public final class ClockGuard {
  private static final long CREDITED_PER_MILLE = 999;

  private final Clock clock;
  private final LongSupplier ticker;
  private final Duration tolerance;
  private Instant highWater;
  private long highWaterTicks;

  /**
   * @param floor the high-water mark to start from (persisted, or rebuilt from evidence)
   */
  public ClockGuard(Clock clock, LongSupplier ticker, Duration tolerance, Instant floor) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
    this.highWater = Objects.requireNonNull(floor, "floor");
    this.highWaterTicks = ticker.getAsLong();
  }

  public synchronized GuardedTime observe() {
    Instant now = clock.instant();
    long ticks = ticker.getAsLong();
    long elapsed = Math.max(0, ticks - highWaterTicks);
    Instant floor = highWater.plusNanos(elapsed / 1000 * CREDITED_PER_MILLE + elapsed % 1000);
    Instant effective = now.isAfter(floor) ? now : floor;
    highWater = effective;
    highWaterTicks = ticks;
    Duration behind = Duration.between(now, effective);
    return new GuardedTime(now, effective, behind, behind.compareTo(tolerance) > 0);
  }

  /** Raises the mark, e.g. to a time found in evidence after the guard was built. */
  public synchronized void raiseTo(Instant floor) {
    if (floor.isAfter(highWater)) {
      highWater = floor;
    }
  }

  public synchronized Instant highWater() {
    return highWater;
  }

  public Duration tolerance() {
    return tolerance;
  }
}
