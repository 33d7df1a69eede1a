package dev.keyturn.server.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6238's own test vectors (appendix B), then the window and the input checks. */
class TotpTest {
  private static final byte[] SHA1_SEED = ascii("12345678901234567890");
  private static final byte[] SHA256_SEED = ascii("12345678901234567890123456789012");
  private static final byte[] SHA512_SEED =
      ascii("1234567890123456789012345678901234567890123456789012345678901234");

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @ParameterizedTest(name = "T={0}s")
  @CsvSource({
    "59, 94287082, 46119246, 90693936",
    "1111111109, 07081804, 68084774, 25091201",
    "1111111111, 14050471, 67062674, 99943326",
    "1234567890, 89005924, 91819424, 93441116",
    "2000000000, 69279037, 90698825, 38618901",
    "20000000000, 65353130, 77737706, 47863826"
  })
  void matches_the_rfc_6238_test_vectors(long seconds, String sha1, String sha256, String sha512) {
    Instant at = Instant.ofEpochSecond(seconds);
    Totp sha1Totp = new Totp("HmacSHA1", 8, Duration.ofSeconds(30));
    Totp sha256Totp = new Totp("HmacSHA256", 8, Duration.ofSeconds(30));
    Totp sha512Totp = new Totp("HmacSHA512", 8, Duration.ofSeconds(30));

    assertThat(sha1Totp.code(SHA1_SEED, sha1Totp.step(at))).isEqualTo(sha1);
    assertThat(sha256Totp.code(SHA256_SEED, sha256Totp.step(at))).isEqualTo(sha256);
    assertThat(sha512Totp.code(SHA512_SEED, sha512Totp.step(at))).isEqualTo(sha512);
  }

  @Test
  void authenticator_codes_are_the_last_six_digits_of_the_eight_digit_ones() {
    // Dynamic truncation takes the same 31-bit number; 6 digits are it modulo 10^6.
    Instant at = Instant.ofEpochSecond(1111111109);
    assertThat(Totp.AUTHENTICATOR.code(SHA1_SEED, Totp.AUTHENTICATOR.step(at))).isEqualTo("081804");
  }

  @Test
  void a_code_of_the_step_before_or_after_counts_and_two_steps_off_does_not() {
    Totp totp = Totp.AUTHENTICATOR;
    Instant now = Instant.parse("2026-12-06T10:00:10Z");
    long step = totp.step(now);

    assertThat(totp.matchingStep(SHA1_SEED, totp.code(SHA1_SEED, step), now, 1)).isEqualTo(step);
    assertThat(totp.matchingStep(SHA1_SEED, totp.code(SHA1_SEED, step - 1), now, 1))
        .isEqualTo(step - 1);
    assertThat(totp.matchingStep(SHA1_SEED, totp.code(SHA1_SEED, step + 1), now, 1))
        .isEqualTo(step + 1);
    assertThat(totp.matchingStep(SHA1_SEED, totp.code(SHA1_SEED, step - 2), now, 1)).isEqualTo(-1);
    assertThat(totp.matchingStep(SHA1_SEED, totp.code(SHA1_SEED, step + 2), now, 1)).isEqualTo(-1);
  }

  @Test
  void codes_that_are_not_six_digits_never_match() {
    Instant now = Instant.parse("2026-12-06T10:00:10Z");
    for (String code : new String[] {null, "", "12345", "1234567", "12a456", "１２３４５６"}) {
      assertThat(Totp.AUTHENTICATOR.matchingStep(SHA1_SEED, code, now, 1)).as(code).isEqualTo(-1);
    }
  }

  @Test
  void refuses_a_shape_authenticator_apps_do_not_know() {
    assertThatThrownBy(() -> new Totp("HmacSHA1", 10, Duration.ofSeconds(30)))
        .hasMessageContaining("6 to 8 digits");
    assertThatThrownBy(() -> new Totp("HmacSHA1", 6, Duration.ZERO))
        .hasMessageContaining("must be positive");
  }
}
