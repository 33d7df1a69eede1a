package dev.keyturn.server.clock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A clock that runs like the real one but can be moved forward, so a vendor can rehearse "thirty
 * days later" without waiting. Time keeps flowing between moves; it never goes backwards, because
 * every stored instant (issued, revoked, notified) would otherwise come from the future.
 *
 * <p>The offset lives in an {@link OffsetStore} (the database, on the server), so every replica on
 * one database shows the same time and a restart keeps it. Reading the clock must stay cheap, so
 * the offset is read again every {@link #REFRESH_AFTER}: another replica's move shows here within
 * {@link #MAX_STALENESS}, and this clock's own moves show at once. The server's clock does that
 * reading on a thread of its own ({@link #refreshedInBackground}), so no request ever waits on the
 * database for the time, not even during a database outage (the clock then runs on the last offset
 * it read).
 */
public final class TestClock extends Clock implements AutoCloseable {
  /** The longest another replica's move may take to show on this one (while the store answers). */
  public static final Duration MAX_STALENESS = Duration.ofSeconds(1);

  /** How far past the real time the clock may go (a century): beyond any rehearsal. */
  public static final Duration MAX_OFFSET = Duration.ofDays(36_525);

  /** Half of {@link #MAX_STALENESS}, leaving the other half for the read itself. */
  static final Duration REFRESH_AFTER = MAX_STALENESS.dividedBy(2);

  private static final Logger log = LoggerFactory.getLogger(TestClock.class);

  private final Clock base;
  private final OffsetStore store;
  private final LongSupplier ticker;
  private final AtomicReference<Reading> reading;
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private final AtomicBoolean failing = new AtomicBoolean();
  private volatile ScheduledExecutorService refresher;

  /** A clock whose offset lives in this process only. */
  public TestClock(Clock base) {
    this(base, OffsetStore.inMemory());
  }

  public TestClock(Clock base, OffsetStore store) {
    this(base, store, System::nanoTime);
  }

  /**
   * @param ticker monotonic nanoseconds, deciding when the stored offset is read again
   */
  TestClock(Clock base, OffsetStore store, LongSupplier ticker) {
    this.base = base;
    this.store = store;
    this.ticker = ticker;
    this.reading = new AtomicReference<>(new Reading(store.read(), ticker.getAsLong()));
  }

  /**
   * The server's clock: the store is read every {@link #REFRESH_AFTER} on a daemon thread, never by
   * a caller of {@link #instant()}. {@link #close()} stops that thread.
   */
  public static TestClock refreshedInBackground(Clock base, OffsetStore store) {
    TestClock clock = new TestClock(base, store);
    ScheduledExecutorService refresher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "keyturn-test-clock");
              t.setDaemon(true);
              return t;
            });
    long every = REFRESH_AFTER.toMillis();
    refresher.scheduleWithFixedDelay(clock::readQuietly, every, every, TimeUnit.MILLISECONDS);
    clock.refresher = refresher;
    return clock;
  }

  /** Stops the background reading, if any (the server's context closing). */
  @Override
  public void close() {
    ScheduledExecutorService r = refresher;
    if (r != null) {
      r.shutdownNow();
    }
  }

  @Override
  public Instant instant() {
    return base.instant().plus(offset());
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

  /** How far ahead of the real time this clock runs. */
  public Duration offset() {
    Reading last = reading.get();
    if (refresher != null
        || ticker.getAsLong() - last.atNanos() < REFRESH_AFTER.toNanos()
        || !refreshing.compareAndSet(false, true)) {
      // Read in the background, fresh enough, or another thread is reading the store right now.
      return last.offset();
    }
    try {
      return readQuietly();
    } finally {
      refreshing.set(false);
    }
  }

  /**
   * Reads the store; when it cannot be read (a database outage) the clock must not stop: it runs on
   * the last offset and tries again a little later. Said once per outage, not at every try.
   */
  private Duration readQuietly() {
    try {
      Duration offset = remember(store.read());
      if (failing.compareAndSet(true, false)) {
        log.info("The test clock's offset can be read again: {}", offset);
      }
      return offset;
    } catch (RuntimeException e) {
      Reading last = reading.get();
      reading.set(new Reading(last.offset(), ticker.getAsLong()));
      if (failing.compareAndSet(false, true)) {
        log.warn(
            "Cannot read the test clock's offset; running on {} until it can: {}",
            last.offset(),
            e.toString());
      }
      return last.offset();
    }
  }

  /**
   * Reads the stored offset now rather than within the second: for a caller that must see every
   * move another replica has made (tests switching between servers on one database).
   */
  public Duration refresh() {
    return remember(store.read());
  }

  /**
   * @throws IllegalArgumentException for a negative duration
   * @throws TooFarException when the clock would run more than {@link #MAX_OFFSET} ahead
   */
  public Instant advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("cannot move the clock back by " + by);
    }
    if (by.compareTo(MAX_OFFSET) > 0 || !store.advance(wholeMicros(by), MAX_OFFSET)) {
      throw new TooFarException("advance by " + by);
    }
    remember(store.read());
    return instant();
  }

  /**
   * @throws IllegalArgumentException when {@code target} is before the current time
   * @throws TooFarException when {@code target} is more than {@link #MAX_OFFSET} ahead
   */
  public Instant set(Instant target) {
    Duration offset = Duration.between(base.instant(), target);
    if (offset.compareTo(MAX_OFFSET) > 0) {
      throw new TooFarException("set to " + target);
    }
    if (offset.isNegative() || !store.raiseTo(wholeMicros(offset))) {
      Instant now = base.instant().plus(remember(store.read()));
      throw new IllegalArgumentException(
          "cannot set the clock back to " + target + "; it is already " + now);
    }
    remember(store.read());
    return instant();
  }

  /**
   * Keeps the larger of what this clock knew and what it just read: the stored offset only grows,
   * so a smaller one is a read that started before one of this clock's own moves.
   */
  private Duration remember(Duration stored) {
    long now = ticker.getAsLong();
    return reading
        .accumulateAndGet(
            new Reading(stored, now),
            (known, read) ->
                read.offset().compareTo(known.offset()) >= 0
                    ? read
                    : new Reading(known.offset(), now))
        .offset();
  }

  /** Rounded up to whole microseconds, what the database keeps: "set to T" never lands before T. */
  private static Duration wholeMicros(Duration d) {
    Duration down = d.truncatedTo(ChronoUnit.MICROS);
    return down.equals(d) ? d : down.plus(1, ChronoUnit.MICROS);
  }

  private record Reading(Duration offset, long atNanos) {}

  /** A move that would take the clock more than {@link #MAX_OFFSET} past the real time. */
  public static final class TooFarException extends IllegalArgumentException {
    TooFarException(String move) {
      super(
          "cannot "
              + move
              + ": the test clock runs at most "
              + MAX_OFFSET.toDays()
              + " days (a century) ahead of the real time");
    }
  }
}
