package dev.keyturn.server.license.internal;

import dev.keyturn.core.lifecycle.Phase;
import dev.keyturn.server.license.Licenses;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code keyturn_licenses_issued_total} and {@code keyturn_licenses{phase=…}} (current licenses of
 * live subscriptions by phase). The phase counts are one query per phase, cached briefly so that
 * several scrapes (or replicas) do not repeat them.
 */
@Component
public class LicenseMetrics {
  private static final Duration CACHE = Duration.ofSeconds(15);

  private final Counter issued;
  private final Licenses licenses;
  private final Clock clock;
  private volatile Snapshot snapshot;

  private record Snapshot(Instant at, Map<Phase, Long> counts) {}

  LicenseMetrics(MeterRegistry registry, Licenses licenses, Clock clock) {
    this.licenses = licenses;
    this.clock = clock;
    this.issued =
        Counter.builder("keyturn.licenses.issued")
            .description("Licenses issued since the server started")
            .register(registry);
    for (Phase phase : Phase.values()) {
      Gauge.builder("keyturn.licenses", () -> count(phase))
          .description("Current licenses of live subscriptions, by lifecycle phase")
          .tag("phase", phase.name())
          .register(registry);
    }
  }

  public void issued() {
    issued.increment();
  }

  private long count(Phase phase) {
    Instant now = clock.instant();
    Snapshot s = snapshot;
    if (s == null || !now.isBefore(s.at().plus(CACHE)) || now.isBefore(s.at())) {
      s = new Snapshot(now, licenses.countCurrentByPhase(now));
      snapshot = s;
    }
    return s.counts().getOrDefault(phase, 0L);
  }
}
