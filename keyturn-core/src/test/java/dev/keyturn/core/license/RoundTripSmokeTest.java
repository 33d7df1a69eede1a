package dev.keyturn.core.license;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.TestLicenses;
import dev.keyturn.core.verify.LicenseVerifier;
import dev.keyturn.core.verify.VerificationCode;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoundTripSmokeTest {
  @Test
  void issued_license_reads_back_and_verifies() {
    var keys = TestLicenses.keys("2026-a");
    String text = keys.signing().sign(TestLicenses.acme().build()).toToml();
    System.out.println(text);
    SignedLicense read = new LicenseReader().read(text);
    assertThat(read.license()).isEqualTo(TestLicenses.acme().build());
    var v =
        new LicenseVerifier(keys.ring())
            .verify(text, Instant.parse("2027-01-01T00:00:00Z"), Optional.of("tools.acme.example"));
    assertThat(v.code()).as(v.message()).isEqualTo(VerificationCode.VALID);
  }
}
