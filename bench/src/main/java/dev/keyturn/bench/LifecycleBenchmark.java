package dev.keyturn.bench;

import dev.keyturn.core.license.License;
import dev.keyturn.core.lifecycle.Lifecycle;
import dev.keyturn.core.lifecycle.Phase;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.core.lifecycle.Stage;
import dev.keyturn.core.lifecycle.Standing;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One call of the lifecycle engine, at instants in different phases of the appliance preset: the
 * server's sweep and the client's snapshot refresh both pay this per license.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LifecycleBenchmark {

  /** Where in the license's life the instant falls. */
  public enum When {
    /** 100 days before expiry: no stage reached, no banner text to write. */
    ACTIVE(Duration.ofDays(-100), Phase.ACTIVE),
    /** Half a day into the D-7 stage: a persistent warning with a day count. */
    EXPIRING_D7(Duration.ofDays(-7).plusHours(12), Phase.EXPIRING),
    /** Ten days into the 60-day grace period: a danger banner counting down to lock. */
    GRACE(Duration.ofDays(10), Phase.GRACE);

    final Duration fromExpiry;
    final Phase phase;

    When(Duration fromExpiry, Phase phase) {
      this.fromExpiry = fromExpiry;
      this.phase = phase;
    }
  }

  @Param({"ACTIVE", "EXPIRING_D7", "GRACE"})
  public When when;

  private License license;
  private Policy policy;
  private Instant now;
  private Optional<String> lastNotified;

  @Setup
  public void setUp() {
    license = BenchLicenses.acme();
    policy = Policy.forLicense(license.policy());
    now = license.expiresAt().plus(when.fromExpiry);
    // The notice sent just before the current stage, so noticeDue has one to find (none when
    // ACTIVE).
    lastNotified =
        switch (when) {
          case ACTIVE -> Optional.empty();
          case EXPIRING_D7 -> Optional.of("D-15");
          case GRACE -> Optional.of("D-1");
        };
    Standing standing = evaluate();
    if (standing.phase() != when.phase) {
      throw new IllegalStateException(
          "expected " + when.phase + " at " + now + ", engine says " + standing.phase());
    }
    Optional<Stage> due = noticeDue();
    if (when != When.ACTIVE && due.isEmpty()) {
      throw new IllegalStateException("expected a notice due at " + now);
    }
  }

  @Benchmark
  public Standing evaluate() {
    return Lifecycle.evaluate(license, now, policy);
  }

  @Benchmark
  public Optional<Stage> noticeDue() {
    return Lifecycle.noticeDue(policy, license.expiresAt(), lastNotified, now);
  }
}
