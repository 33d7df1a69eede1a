package dev.keyturn.bench;

import dev.keyturn.core.VerificationCode;
import dev.keyturn.core.license.LicenseReader;
import dev.keyturn.core.license.SignedLicense;
import dev.keyturn.core.verify.LicenseVerifier;
import dev.keyturn.core.verify.Verification;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlVersion;

/**
 * Reading and verifying a license file, set against its parts: the raw JDK Ed25519 check of the
 * same canonical bytes (the floor no verifier can go under), reading alone, the TOML parser alone
 * and the canonical serialization alone. The differences say where the time goes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LicenseVerificationBenchmark {
  private String text;
  private SignedLicense signed;
  private Instant at;
  private Optional<String> domain;
  private LicenseReader reader;
  private LicenseVerifier verifier;
  private PublicKey publicKey;
  private byte[] canonicalBytes;
  private byte[] signatureBytes;

  @Setup
  public void setUp() throws GeneralSecurityException {
    BenchLicenses.Signed fixture = BenchLicenses.signed();
    text = fixture.text();
    at = BenchLicenses.MID_TERM;
    domain = Optional.of(BenchLicenses.INSTANCE_DOMAIN);
    reader = new LicenseReader();
    verifier = new LicenseVerifier(fixture.ring(), reader);
    signed = reader.read(text);
    publicKey = fixture.keys().getPublic();
    canonicalBytes = signed.canonicalBytes();
    signatureBytes = signed.signature().bytes();

    // A benchmark of a failing path would measure the wrong thing: check both paths succeed.
    Verification v = verifier.verify(text, at, domain);
    if (v.code() != VerificationCode.VALID) {
      throw new IllegalStateException("fixture does not verify: " + v.message());
    }
    if (!rawEd25519Verify()) {
      throw new IllegalStateException("raw Ed25519 check of the fixture failed");
    }
  }

  /** What a product does on install or start: text in, verdict out. */
  @Benchmark
  public Verification readAndVerify() {
    return verifier.verify(text, at, domain);
  }

  /** The floor: the JDK's Ed25519 check of the bytes the signature covers, nothing else. */
  @Benchmark
  public boolean rawEd25519Verify() throws GeneralSecurityException {
    Signature s = Signature.getInstance("Ed25519");
    s.initVerify(publicKey);
    s.update(canonicalBytes);
    return s.verify(signatureBytes);
  }

  /** Reading alone: size and nesting checks, TOML parsing, conversion to the typed license. */
  @Benchmark
  public SignedLicense read() {
    return reader.read(text);
  }

  /** The third-party TOML parser alone, the part of reading Keyturn does not control. */
  @Benchmark
  public TomlParseResult tomlParseOnly() {
    return Toml.parse(text, TomlVersion.V1_0_0);
  }

  /** Rebuilding the signed bytes from the parsed table, which verification does once per call. */
  @Benchmark
  public byte[] canonicalBytes() {
    return signed.canonicalBytes();
  }

  /** Signature check of an already parsed license: what re-verifying a held license costs. */
  @Benchmark
  public Verification verifyParsed() {
    return verifier.verify(signed, at, domain);
  }
}
