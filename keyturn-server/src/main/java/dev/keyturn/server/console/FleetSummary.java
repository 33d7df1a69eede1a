package dev.keyturn.server.console;

import dev.keyturn.core.lifecycle.Phase;
import dev.keyturn.server.license.Licenses;
import dev.keyturn.server.lifecycle.LicenseGaps;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The dashboard's aggregates: current licenses by phase, expiries per week, license gaps. They read
 * every current license, which takes seconds at a million subscriptions (bench/console-dashboard),
 * so when computing them was slow the result is reused for a minute of server time; a small fleet
 * is always counted afresh. The page says when the figures it shows were taken.
 */
@Component
class FleetSummary {
  static final Duration SLOW = Duration.ofMillis(500);
  static final Duration REUSE = Duration.ofMinutes(1);

  /**
   * @param at the server time the figures are for
   * @param elapsed how long counting them took
   */
  record Snapshot(
      Instant at,
      Map<Phase, Long> counts,
      long[] perWeek,
      List<LicenseGaps.Gap> gaps,
      Duration elapsed) {}

  private final Licenses licenses;
  private final JdbcClient jdbc;
  private volatile Snapshot last;

  FleetSummary(Licenses licenses, JdbcClient jdbc) {
    this.licenses = licenses;
    this.jdbc = jdbc;
  }

  Snapshot at(Instant now, int weeks) {
    Snapshot s = last;
    if (s != null
        && s.elapsed().compareTo(SLOW) > 0
        && !now.isBefore(s.at())
        && now.isBefore(s.at().plus(REUSE))
        && s.perWeek().length == weeks) {
      return s;
    }
    long start = System.nanoTime();
    Map<Phase, Long> counts = licenses.countCurrentByPhase(now);
    long[] perWeek = licenses.currentExpiriesPerWeek(now, weeks);
    List<LicenseGaps.Gap> gaps = new LicenseGaps(jdbc).find(now);
    s = new Snapshot(now, counts, perWeek, gaps, Duration.ofNanos(System.nanoTime() - start));
    last = s;
    return s;
  }
}
