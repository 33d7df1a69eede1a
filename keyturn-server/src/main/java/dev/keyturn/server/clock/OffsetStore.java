package dev.keyturn.server.clock;

import java.time.Duration;

/**
 * Where a {@link TestClock} keeps how far it has been moved. The server's store is a database row
 * (every replica on the database shares one offset, and a restart keeps it); each change is one
 * conditional statement, so two replicas moving the clock at once can never move it back.
 */
public interface OffsetStore {

  /** The offset as stored now. */
  Duration read();

  /**
   * Adds {@code by} (not negative) to the stored offset in one step, unless the sum would pass
   * {@code limit}.
   *
   * @return whether it was added
   */
  boolean advance(Duration by, Duration limit);

  /**
   * Sets the stored offset to {@code target} in one step, unless it is already beyond it.
   *
   * @return whether it was set
   */
  boolean raiseTo(Duration target);

  /** A store in this process only: for a clock without a database (unit tests). */
  static OffsetStore inMemory() {
    return new OffsetStore() {
      private Duration offset = Duration.ZERO;

      @Override
      public synchronized Duration read() {
        return offset;
      }

      @Override
      public synchronized boolean advance(Duration by, Duration limit) {
        if (offset.plus(by).compareTo(limit) > 0) {
          return false;
        }
        offset = offset.plus(by);
        return true;
      }

      @Override
      public synchronized boolean raiseTo(Duration target) {
        if (offset.compareTo(target) > 0) {
          return false;
        }
        offset = target;
        return true;
      }
    };
  }
}
