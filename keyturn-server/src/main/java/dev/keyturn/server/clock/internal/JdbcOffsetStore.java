package dev.keyturn.server.clock.internal;

import dev.keyturn.server.clock.OffsetStore;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The test clock's offset as the one row of {@code test_clock}, in whole microseconds. Each move is
 * a single conditional update, never read-modify-write: two replicas moving at once both land (an
 * advance adds to whatever is there) or the later "set" finds the clock already past its target.
 */
final class JdbcOffsetStore implements OffsetStore {
  private final JdbcClient jdbc;

  JdbcOffsetStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Duration read() {
    return Duration.of(
        jdbc.sql("select offset_micros from test_clock where id = 1").query(Long.class).single(),
        ChronoUnit.MICROS);
  }

  @Override
  public boolean advance(Duration by, Duration limit) {
    long micros = micros(by);
    return jdbc.sql(
                "update test_clock set offset_micros = offset_micros + :by"
                    + " where id = 1 and offset_micros <= :limit - :by")
            .param("by", micros)
            .param("limit", micros(limit))
            .update()
        == 1;
  }

  @Override
  public boolean raiseTo(Duration target) {
    long micros = micros(target);
    return jdbc.sql(
                "update test_clock set offset_micros = :target"
                    + " where id = 1 and offset_micros <= :target")
            .param("target", micros)
            .update()
        == 1;
  }

  private static long micros(Duration d) {
    return Math.addExact(Math.multiplyExact(d.getSeconds(), 1_000_000L), d.getNano() / 1_000);
  }
}
