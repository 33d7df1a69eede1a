package dev.keyturn.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keyturn.core.crypto.Ed25519;
import dev.keyturn.core.crypto.KeyRing;
import dev.keyturn.core.license.LicenseFormatException;
import dev.keyturn.core.license.LicenseReader;
import dev.keyturn.core.license.SignedLicense;
import dev.keyturn.core.verify.LicenseVerifier;
import dev.keyturn.core.verify.Verification;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whatever bytes arrive, the reader answers with a license or a {@link LicenseFormatException}:
 * never another exception, a stack overflow or a hang. A license file comes from outside (e-mail, a
 * paste box), so this is the reader's whole contract with hostile input.
 *
 * <p>Under the normal build the fuzz test runs in Jazzer's regression mode over the seed files in
 * {@code LicenseReaderFuzzTestInputs/} (and any crash files Jazzer saved there), then a second
 * surefire execution fuzzes it for real with {@code JAZZER_FUZZ=1}, bounded by {@code
 * jazzer.max_duration} (see {@code keyturn-core/pom.xml}). The seeds are files written by {@code
 * SigningKey.sign(...).toToml()} with a throwaway key, variants of them that mail programs and
 * people make (CRLF, comments, re-indentation, a byte-order mark), and a few hostile shapes (deep
 * nesting, huge numbers, duplicate keys and tables, unterminated strings, far-off dates).
 *
 * <p>Beyond "no other exception", an accepted file must hold together: its canonical bytes can be
 * built and the writer's output of it reads back to the same bytes.
 */
class LicenseReaderFuzzTest {
  private static final String SEEDS =
      "LicenseReaderFuzzTestInputs/read_throws_nothing_but_license_format_exception/";

  private final LicenseReader reader = new LicenseReader();

  /** The seeds' key id, trusted with another key: accepted inputs reach the signature check. */
  private final LicenseVerifier verifier =
      new LicenseVerifier(
          KeyRing.builder().add("2026-a", Ed25519.generate().getPublic()).build(), reader);

  @FuzzTest(maxDuration = "30s")
  @DictionaryFile(resourcePath = "/dev/keyturn/core/fuzz/license-toml.dict")
  void read_throws_nothing_but_license_format_exception(byte[] input) {
    accepted(() -> reader.read(input)).ifPresent(this::holdsTogether);
    // The same input as text, as a caller that decoded it leniently would pass it.
    String text = new String(input, StandardCharsets.UTF_8);
    accepted(() -> reader.read(text)).ifPresent(this::holdsTogether);
    // Verification is what products call; it must turn every reader error into a code too.
    Verification verification =
        verifier.verify(text, Instant.parse("2027-01-01T00:00:00Z"), Optional.of("example.org"));
    assertThat(verification.code()).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "valid_appliance.license.toml",
        "valid_crlf.license.toml",
        "valid_with_comments.license.toml",
        "valid_subscription_extensions.license.toml"
      })
  void valid_seed_files_are_licenses_so_the_fuzzer_starts_from_real_ones(String name)
      throws IOException {
    byte[] bytes;
    try (InputStream in = getClass().getResourceAsStream(SEEDS + name)) {
      assertThat(in).as(name).isNotNull();
      bytes = in.readAllBytes();
    }

    SignedLicense read = reader.read(bytes);

    assertThat(read.signature().keyId()).isEqualTo("2026-a");
    holdsTogether(read);
  }

  private static Optional<SignedLicense> accepted(Supplier<SignedLicense> read) {
    try {
      return Optional.of(read.get());
    } catch (LicenseFormatException e) {
      assertThat(e.getMessage()).isNotBlank();
      assertThat(e.code()).isNotNull();
      return Optional.empty();
    }
  }

  /**
   * What was accepted can be signed over and written back: the canonical bytes exist, and the file
   * the writer makes reads back to the same bytes, so a re-issued or re-saved license still
   * verifies.
   */
  private void holdsTogether(SignedLicense license) {
    byte[] canonical = license.canonicalBytes();
    SignedLicense again = reader.read(license.toToml());
    assertThat(again.canonicalBytes()).isEqualTo(canonical);
    assertThat(again.signature()).isEqualTo(license.signature());
  }
}
