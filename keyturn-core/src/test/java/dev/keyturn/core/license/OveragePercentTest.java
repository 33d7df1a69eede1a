package dev.keyturn.core.license;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.core.TestLicenses;
import dev.keyturn.core.VerificationCode;
import dev.keyturn.core.verify.LicenseVerifier;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OveragePercentTest {
  private static final Instant DURING = Instant.parse("2027-03-01T12:00:00Z");

  private final TestLicenses.Keys keys = TestLicenses.keys("2026-a");
  private final LicenseVerifier verifier = new LicenseVerifier(keys.ring());

  @Test
  void allowances_are_written_signed_and_read_back() {
    License license =
        TestLicenses.acme().overagePercent("users", 10).overagePercent("seats", 0).build();
    SignedLicense signed = keys.signing().sign(license);

    String text = signed.toToml();
    SignedLicense read = new LicenseReader().read(text);

    assertThat(text).contains("[license.overage_percent]\nseats = 0\nusers = 10\n");
    assertThat(read.license()).isEqualTo(license);
    assertThat(read.license().overagePercent()).isEqualTo(Map.of("users", 10, "seats", 0));
    assertThat(read.license().overagePercent("users")).isEqualTo(10);
    assertThat(read.license().overagePercent("devices")).isZero();
    assertThat(new String(read.canonicalBytes())).contains("overage_percent={seats=0,users=10}");
    assertThat(verifier.verify(text, DURING, Optional.empty()).code())
        .isEqualTo(VerificationCode.VALID);
  }

  @Test
  void a_license_without_allowances_signs_exactly_as_before() {
    SignedLicense signed = keys.signing().sign(TestLicenses.acme().build());

    assertThat(signed.toToml()).doesNotContain("overage_percent");
    assertThat(new String(signed.canonicalBytes())).doesNotContain("overage_percent");
    assertThat(signed.license().overagePercent()).isEmpty();
  }

  @Test
  void raising_an_allowance_after_signing_breaks_the_signature() {
    String text =
        keys.signing().sign(TestLicenses.acme().overagePercent("users", 10).build()).toToml();

    String raised = text.replace("users = 10\n", "users = 500\n");

    assertThat(raised).isNotEqualTo(text);
    assertThat(verifier.verify(raised, DURING, Optional.empty()).code())
        .isEqualTo(VerificationCode.SIGNATURE_MISMATCH);
  }

  @Test
  void adding_an_allowance_to_an_older_file_breaks_the_signature() {
    String text = keys.signing().sign(TestLicenses.acme().build()).toToml();

    String added =
        text.replace(
            "\n[license.policy]", "\n[license.overage_percent]\nusers = 50\n\n[license.policy]");

    assertThat(verifier.verify(added, DURING, Optional.empty()).code())
        .isEqualTo(VerificationCode.SIGNATURE_MISMATCH);
  }

  @Test
  void the_builder_refuses_out_of_range_allowances_and_allowances_on_nothing() {
    assertThatThrownBy(() -> TestLicenses.acme().overagePercent("users", -1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("overage_percent.users must be a whole number from 0 to 1000, was -1");
    assertThatThrownBy(() -> TestLicenses.acme().overagePercent("users", 1001).build())
        .hasMessage("overage_percent.users must be a whole number from 0 to 1000, was 1001");
    assertThatThrownBy(() -> TestLicenses.acme().overagePercent("cpus", 10).build())
        .hasMessage(
            "overage_percent.cpus must be a limit this license sets (set license.limits.cpus first)");
    assertThatThrownBy(() -> TestLicenses.acme().seats(0).overagePercent("seats", 10).build())
        .hasMessage(
            "overage_percent.seats must be a limit this license sets (set license.limits.seats or"
                + " seats first)");
    assertThat(TestLicenses.acme().overagePercent("users", 1000).build().overagePercent("users"))
        .isEqualTo(1000);
  }

  @Test
  void readers_refuse_wrong_allowances_as_malformed() {
    assertMalformed(
        "users = -5",
        "license.overage_percent.users must be a whole number from 0 to 1000, found -5");
    assertMalformed(
        "users = 1001",
        "license.overage_percent.users must be a whole number from 0 to 1000, found 1001");
    assertMalformed(
        "users = \"10\"",
        "license.overage_percent.users must be a whole number from 0 to 1000, found a string");
    assertMalformed(
        "users = 10.5",
        "license.overage_percent.users must be a whole number from 0 to 1000, found a float");
    assertMalformed(
        "cpus = 10",
        "license: overage_percent.cpus must be a limit this license sets (set license.limits.cpus"
            + " first)");
  }

  private void assertMalformed(String line, String message) {
    String text = keys.signing().sign(TestLicenses.acme().build()).toToml();
    String edited =
        text.replace(
            "\n[license.policy]", "\n[license.overage_percent]\n" + line + "\n\n[license.policy]");
    assertThatThrownBy(() -> new LicenseReader().read(edited))
        .isInstanceOfSatisfying(
            LicenseFormatException.class,
            e -> assertThat(e.code()).isEqualTo(VerificationCode.MALFORMED))
        .hasMessage(message);
  }
}
