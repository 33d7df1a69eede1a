package dev.keyturn.bench;

import dev.keyturn.core.license.LicenseReader;
import dev.keyturn.core.license.SignedLicense;
import dev.keyturn.core.verify.LicenseVerifier;
import dev.keyturn.core.verify.Verification;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The first verification in a fresh JVM, as a product pays it at start-up: class loading of the
 * reader and the TOML parser, and interpreted code. The fixture is signed in setup, so the JDK's
 * Ed25519 provider is already loaded; everything on the reading side is cold. Run it on its own
 * (see README): the steady-state options of the other benchmarks would warm it up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(10)
public class ColdStartBenchmark {
  private String text;
  private LicenseVerifier verifier;
  private Instant at;
  private Optional<String> domain;

  @Setup
  public void setUp() {
    BenchLicenses.Signed fixture = BenchLicenses.signed();
    text = fixture.text();
    verifier = new LicenseVerifier(fixture.ring());
    at = BenchLicenses.MID_TERM;
    domain = Optional.of(BenchLicenses.INSTANCE_DOMAIN);
  }

  @Benchmark
  public Verification firstReadAndVerify() {
    return verifier.verify(text, at, domain);
  }

  /** Reading alone, cold: how much of the first verification is loading the TOML parser. */
  @Benchmark
  public SignedLicense firstRead() {
    return new LicenseReader().read(text);
  }
}
