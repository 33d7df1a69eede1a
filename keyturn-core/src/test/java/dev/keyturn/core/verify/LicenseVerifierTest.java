package dev.keyturn.core.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.TestLicenses;
import dev.keyturn.core.VerificationCode;
import dev.keyturn.core.crypto.KeyRing;
import dev.keyturn.core.license.LicenseReader;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LicenseVerifierTest {
  private static final Instant DURING = Instant.parse("2027-03-01T12:00:00Z");

  private final TestLicenses.Keys keys = TestLicenses.keys("2026-a");
  private final LicenseVerifier verifier = new LicenseVerifier(keys.ring());
  private final String text = keys.signing().sign(TestLicenses.acme().build()).toToml();

  private Verification verify(String candidate) {
    return verifier.verify(candidate, DURING, Optional.empty());
  }

  @Test
  void valid_license_verifies_with_its_fields() {
    Verification v = verifier.verify(text, DURING, Optional.of("TOOLS.acme.example"));

    assertThat(v.code()).isEqualTo(VerificationCode.VALID);
    assertThat(v.message()).contains("Acme Corp", "2027-11-22T00:00:00Z");
    assertThat(v.license())
        .hasValueSatisfying(l -> assertThat(l.license().tier()).isEqualTo("medium"));
  }

  /** Every single value of the signed table, changed in place. */
  static Stream<Arguments> single_value_changes() {
    return Stream.of(
        Arguments.of("id = \"lic_01JD3ACME\"", "id = \"lic_01JD3ACMF\""),
        Arguments.of("subscription_id = \"sub_01JD2ACME\"", "subscription_id = \"sub_01JD2ACMX\""),
        Arguments.of("customer = \"Acme Corp\"", "customer = \"Acme Corp.\""),
        Arguments.of(
            "instance_domain = \"tools.acme.example\"", "instance_domain = \"tools.evil.example\""),
        Arguments.of("tier = \"medium\"", "tier = \"large\""),
        Arguments.of("seats = 250", "seats = 0"),
        Arguments.of("\"sso\", \"audit-export\"", "\"sso\", \"audit-export\", \"ha\""),
        Arguments.of("\"sso\", \"audit-export\"", "\"audit-export\", \"sso\""),
        Arguments.of("tags = []", "tags = [\"trial\"]"),
        Arguments.of("issued_at = 2026-11-22T10:00:00Z", "issued_at = 2026-11-22T10:00:01Z"),
        Arguments.of("not_before = 2026-11-22T00:00:00Z", "not_before = 2026-11-21T00:00:00Z"),
        Arguments.of("expires_at = 2027-11-22T00:00:00Z", "expires_at = 2037-11-22T00:00:00Z"),
        Arguments.of("users = 250", "users = 2500"),
        Arguments.of("devices = 5000", "devices = 5001"),
        Arguments.of("preset = \"appliance\"", "preset = \"subscription\""),
        Arguments.of("grace_days = 60", "grace_days = 600"),
        Arguments.of("grace_mode = \"full\"", "grace_mode = \"read-only\""));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("single_value_changes")
  void changing_any_single_value_breaks_the_signature(String original, String changed) {
    assertThat(text).contains(original);

    assertThat(verify(text.replace(original, changed)).code())
        .isEqualTo(VerificationCode.SIGNATURE_MISMATCH);
  }

  @Test
  void adding_a_key_breaks_the_signature() {
    assertThat(
            verify(text.replace("tier = \"medium\"", "tier = \"medium\"\nsupport = \"gold\""))
                .code())
        .isEqualTo(VerificationCode.SIGNATURE_MISMATCH);
    assertThat(verify(text.replace("users = 250", "users = 250\nnodes = 9")).code())
        .isEqualTo(VerificationCode.SIGNATURE_MISMATCH);
    assertThat(verify(text.replace("grace_days = 60", "grace_days = 60\nlenient = true")).code())
        .isEqualTo(VerificationCode.SIGNATURE_MISMATCH);
  }

  @Test
  void removing_an_optional_key_breaks_the_signature() {
    for (String line :
        new String[] {
          "instance_domain = \"tools.acme.example\"\n",
          "tags = []\n",
          "devices = 5000\n",
          "features = [\"sso\", \"audit-export\"]\n"
        }) {
      assertThat(verify(text.replace(line, "")).code())
          .as(line)
          .isEqualTo(VerificationCode.SIGNATURE_MISMATCH);
    }
  }

  @Test
  void removing_a_required_key_makes_the_file_malformed() {
    Verification v = verify(text.replace("expires_at = 2027-11-22T00:00:00Z\n", ""));

    assertThat(v.code()).isEqualTo(VerificationCode.MALFORMED);
    assertThat(v.message()).isEqualTo("license.expires_at is missing");
  }

  @Test
  void a_signature_from_another_key_with_the_same_id_does_not_match() {
    TestLicenses.Keys impostor = TestLicenses.keys("2026-a");
    String forged =
        impostor
            .signing()
            .sign(TestLicenses.acme().expiresAt(Instant.parse("2099-01-01T00:00:00Z")).build())
            .toToml();

    assertThat(verify(forged).code()).isEqualTo(VerificationCode.SIGNATURE_MISMATCH);
  }

  @Test
  void unknown_key_id_is_rejected_naming_the_key() {
    TestLicenses.Keys other = TestLicenses.keys("2027-b");
    Verification v = verify(other.signing().sign(TestLicenses.acme().build()).toToml());

    assertThat(v.code()).isEqualTo(VerificationCode.UNKNOWN_KEY_ID);
    assertThat(v.message()).contains("'2027-b'", "[2026-a]", "2027-b.public.pem");
  }

  @Test
  void after_rotation_licenses_of_the_old_key_still_verify() {
    TestLicenses.Keys next = TestLicenses.keys("2027-b");
    KeyRing both =
        KeyRing.builder()
            .add("2026-a", keys.pair().getPublic())
            .add("2027-b", next.pair().getPublic())
            .build();
    LicenseVerifier rotated = new LicenseVerifier(both);
    String renewed = next.signing().sign(TestLicenses.acme().id("lic_02").build()).toToml();

    assertThat(rotated.verify(text, DURING, Optional.empty()).code())
        .isEqualTo(VerificationCode.VALID);
    assertThat(rotated.verify(renewed, DURING, Optional.empty()).code())
        .isEqualTo(VerificationCode.VALID);
    assertThat(new LicenseVerifier(next.ring()).verify(text, DURING, Optional.empty()).code())
        .isEqualTo(VerificationCode.UNKNOWN_KEY_ID);
  }

  @Test
  void not_yet_valid_before_not_before() {
    Verification v = verifier.verify(text, Instant.parse("2026-11-21T23:59:59Z"), Optional.empty());

    assertThat(v.code()).isEqualTo(VerificationCode.NOT_YET_VALID);
    assertThat(v.message()).contains("becomes valid at 2026-11-22T00:00:00Z");
  }

  @Test
  void valid_from_not_before_to_the_last_second_then_expired() {
    assertThat(verifier.verify(text, TestLicenses.NOT_BEFORE, Optional.empty()).code())
        .isEqualTo(VerificationCode.VALID);
    assertThat(
            verifier.verify(text, Instant.parse("2027-11-21T23:59:59Z"), Optional.empty()).code())
        .isEqualTo(VerificationCode.VALID);
    Verification v = verifier.verify(text, TestLicenses.EXPIRES, Optional.empty());
    assertThat(v.code()).isEqualTo(VerificationCode.EXPIRED);
    assertThat(v.message()).contains("expired at 2027-11-22T00:00:00Z", "renewed license");
  }

  @Test
  void instance_mismatch_names_both_instances() {
    Verification v = verifier.verify(text, DURING, Optional.of("ops.other.example"));

    assertThat(v.code()).isEqualTo(VerificationCode.INSTANCE_MISMATCH);
    assertThat(v.message()).contains("'tools.acme.example'", "'ops.other.example'");
  }

  @Test
  void a_license_without_instance_domain_runs_anywhere() {
    String unbound = keys.signing().sign(TestLicenses.acme().instanceDomain(null).build()).toToml();

    assertThat(verifier.verify(unbound, DURING, Optional.of("anything.example")).code())
        .isEqualTo(VerificationCode.VALID);
  }

  @Test
  void authenticity_alone_ignores_time() {
    var signed = new LicenseReader().read(text);

    assertThat(verifier.verifySignature(signed).code()).isEqualTo(VerificationCode.VALID);
    assertThat(
            verifier.verify(signed, Instant.parse("2030-01-01T00:00:00Z"), Optional.empty()).code())
        .isEqualTo(VerificationCode.EXPIRED);
  }

  @Test
  void format_from_the_future_is_unsupported_not_malformed() {
    Verification v = verify(text.replace("format = 1", "format = 3"));

    assertThat(v.code()).isEqualTo(VerificationCode.UNSUPPORTED_FORMAT);
    assertThat(v.message())
        .isEqualTo(
            "license format 3 is newer than this product understands (format 2); update the"
                + " product to use this license");
    assertThat(verify(text.replace("\"ed25519\"", "\"rsa-pss\"")).code())
        .isEqualTo(VerificationCode.UNSUPPORTED_FORMAT);
  }
}
