package dev.keyturn.bench;

import dev.keyturn.client.InstallResult;
import dev.keyturn.client.LicenseManager;
import dev.keyturn.core.lifecycle.Mode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The calls a host product makes on every request: {@code allows}, {@code mode} and {@code limit}
 * on an installed license (issue 3: under 20 ns/op, zero allocation; run with {@code -prof gc}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotPathBenchmark {
  private Path stateDir;
  private LicenseManager licenses;

  /** Names held in fields so the JIT cannot fold them into constants the product would not have. */
  private String feature = "sso";

  private String missingFeature = "ha";
  private String limitName = "users";

  @Setup(Level.Trial)
  public void install() throws IOException {
    BenchLicenses.Signed signed = BenchLicenses.signed();
    stateDir = Files.createTempDirectory("keyturn-bench");
    licenses =
        LicenseManager.builder()
            .stateDir(stateDir)
            .trustedKeys(signed.ring())
            .instanceDomain(BenchLicenses.INSTANCE_DOMAIN)
            .clock(Clock.fixed(BenchLicenses.MID_TERM, ZoneOffset.UTC))
            .background(false)
            .build();
    InstallResult result = licenses.install(signed.text());
    if (!result.installed() || licenses.mode() != Mode.FULL || !licenses.allows(feature)) {
      throw new IllegalStateException("fixture did not install: " + result.message());
    }
  }

  @TearDown(Level.Trial)
  public void remove() throws IOException {
    licenses.close();
    try (Stream<Path> files = Files.walk(stateDir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Benchmark
  public boolean allows() {
    return licenses.allows(feature);
  }

  @Benchmark
  public boolean allowsMissingFeature() {
    return licenses.allows(missingFeature);
  }

  @Benchmark
  public Mode mode() {
    return licenses.mode();
  }

  @Benchmark
  public long limit() {
    return licenses.limit(limitName);
  }
}
