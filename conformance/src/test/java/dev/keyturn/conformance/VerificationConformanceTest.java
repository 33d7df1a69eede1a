package dev.keyturn.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyturn.cli.license.LicenseView;
import dev.keyturn.core.crypto.KeyRing;
import dev.keyturn.core.license.InstanceDomain;
import dev.keyturn.core.license.LicenseFormatException;
import dev.keyturn.core.license.LicenseReader;
import dev.keyturn.core.license.SignedLicense;
import dev.keyturn.core.verify.LicenseVerifier;
import dev.keyturn.core.verify.Verification;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The Java reference passes its own verification vectors, read as an SDK reads them. */
class VerificationConformanceTest {
  private static final JsonNode VECTORS = CommittedVectors.read("verification.json");

  @TestFactory
  Stream<DynamicTest> every_case_verifies_as_the_vector_says() {
    return StreamSupport.stream(VECTORS.path("cases").spliterator(), false)
        .map(c -> DynamicTest.dynamicTest(c.path("name").asText(), () -> check(c)));
  }

  @TestFactory
  Stream<DynamicTest> instance_domains_are_normalized_as_the_vector_says() {
    return StreamSupport.stream(VECTORS.path("instance_domains").spliterator(), false)
        .map(
            c ->
                DynamicTest.dynamicTest(
                    "'" + c.path("input").asText() + "'",
                    () -> {
                      String raw = c.path("input").asText();
                      if (c.path("error").isNull()) {
                        assertThat(InstanceDomain.normalize(raw))
                            .isEqualTo(c.path("normalized").asText());
                      } else {
                        assertThatThrownBy(() -> InstanceDomain.normalize(raw))
                            .isInstanceOf(IllegalArgumentException.class)
                            .hasMessage(c.path("error").asText());
                      }
                    }));
  }

  @Test
  void the_suite_covers_every_verification_code_and_group() {
    var codes = new java.util.TreeSet<String>();
    var groups = new java.util.TreeSet<String>();
    VECTORS
        .path("cases")
        .forEach(
            c -> {
              codes.add(c.path("expected").path("code").asText());
              groups.add(c.path("group").asText());
            });
    assertThat(codes)
        .containsExactlyInAnyOrder(
            "VALID",
            "MALFORMED",
            "UNSUPPORTED_FORMAT",
            "UNKNOWN_KEY_ID",
            "SIGNATURE_MISMATCH",
            "NOT_YET_VALID",
            "EXPIRED",
            "INSTANCE_MISMATCH");
    assertThat(groups)
        .containsExactlyInAnyOrder(
            "valid",
            "single-value-change",
            "added-removed-keys",
            "error-code",
            "mail",
            "hostile",
            "custom-policy");
  }

  private static void check(JsonNode c) {
    byte[] file = Base64.getDecoder().decode(c.path("file_base64").asText());
    if (!c.path("file_text").isNull()) {
      assertThat(c.path("file_text").asText().getBytes(StandardCharsets.UTF_8))
          .as("file_text is the file's bytes as text")
          .isEqualTo(file);
    }
    KeyRing ring = CommittedVectors.ring(c.path("key_ring").asText());
    Instant at = Instant.parse(c.path("at").asText());
    Optional<String> domain =
        c.path("instance_domain").isNull()
            ? Optional.empty()
            : Optional.of(c.path("instance_domain").asText());
    JsonNode expected = c.path("expected");

    Verification v;
    Optional<SignedLicense> read;
    try {
      SignedLicense signed = new LicenseReader().read(file);
      read = Optional.of(signed);
      v = new LicenseVerifier(ring).verify(signed, at, domain);
    } catch (LicenseFormatException e) {
      read = Optional.empty();
      v = new Verification(e.code(), e.getMessage(), Optional.empty());
    }

    assertThat(v.code().name()).isEqualTo(expected.path("code").asText());
    assertMessage(v.message(), expected);
    if (read.isEmpty()) {
      assertThat(expected.path("signature_code").isNull()).isTrue();
      assertThat(expected.path("license").isNull()).isTrue();
      return;
    }
    SignedLicense signed = read.get();
    assertThat(new LicenseVerifier(ring).verifySignature(signed).code().name())
        .isEqualTo(expected.path("signature_code").asText());
    assertThat(CommittedVectors.parse(LicenseView.of(signed))).isEqualTo(expected.path("license"));
    assertThat(new String(signed.canonicalBytes(), StandardCharsets.UTF_8))
        .isEqualTo(expected.path("canonical").asText());
    assertThat(signed.checkInToken()).isEqualTo(expected.path("check_in_token").asText());
  }

  /** The rule every SDK follows too (README, "Messages"). */
  static void assertMessage(String actual, JsonNode expected) {
    String match = expected.path("message_match").asText();
    if (match.equals("exact")) {
      assertThat(actual).isEqualTo(expected.path("message").asText());
    } else {
      assertThat(match).isEqualTo("prefix");
      assertThat(actual).startsWith(expected.path("message_prefix").asText());
    }
  }
}
