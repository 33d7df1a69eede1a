package dev.keyturn.core.license;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.core.TestLicenses;
import dev.keyturn.core.VerificationCode;
import dev.keyturn.core.verify.LicenseVerifier;
import dev.keyturn.core.verify.Verification;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LicenseFileTest {
  private static final Instant DURING = Instant.parse("2027-03-01T12:00:00Z");

  private final TestLicenses.Keys keys = TestLicenses.keys("2026-a");
  private final LicenseVerifier verifier = new LicenseVerifier(keys.ring());
  private final String text = keys.signing().sign(TestLicenses.acme().build()).toToml();

  private Verification verify(String candidate) {
    return verifier.verify(candidate, DURING, Optional.empty());
  }

  @Test
  void round_trip_gives_back_the_same_license() {
    License license = TestLicenses.acme().tag("internal").build();
    SignedLicense signed = keys.signing().sign(license);

    SignedLicense read = new LicenseReader().read(signed.toToml());

    assertThat(read.license()).isEqualTo(license);
    assertThat(read.signature()).isEqualTo(signed.signature());
    assertThat(read.canonicalBytes()).isEqualTo(signed.canonicalBytes());
    assertThat(read.toToml()).isEqualTo(signed.toToml());
  }

  @Test
  void written_file_has_the_layout_of_the_design() {
    assertThat(text)
        .startsWith("# Keyturn license for Acme Corp")
        .contains("format = 1\n\n[license]\nid = \"lic_01JD3ACME\"\n")
        .contains("expires_at = 2027-11-22T00:00:00Z\n")
        .contains("[license.limits]\ndevices = 5000\nusers = 250\n")
        .contains(
            "[license.policy]\npreset = \"appliance\"\ngrace_days = 60\ngrace_mode = \"full\"\n")
        .contains("[signature]\nalgorithm = \"ed25519\"\nkey_id = \"2026-a\"\n");
    assertThat(text.lines())
        .allMatch(line -> line.length() <= 100, "no line a mail program would wrap");
  }

  @Test
  void survives_crlf_line_endings() {
    assertThat(verify(text.replace("\n", "\r\n")).code()).isEqualTo(VerificationCode.VALID);
  }

  @Test
  void survives_reindentation_blank_lines_and_added_comments() {
    String mangled =
        text.replace("\nid = ", "\n    id   =   ")
            .replace("\ntier = ", "\n\n\t# the customer's plan\n\ttier=")
            .replace("[license.limits]", "  [license.limits]   # enforced by the product")
            .replace("seats = 250", "seats = 250 # 250 named users");
    assertThat(verify("# forwarded by support\n" + mangled).code())
        .isEqualTo(VerificationCode.VALID);
  }

  @Test
  void survives_reordered_keys_and_tables() {
    String reordered =
        """
        [signature]
        value = "%s"
        key_id = "2026-a"
        algorithm = "ed25519"

        [license.policy]
        grace_mode = "full"
        grace_days = 60
        preset = "appliance"

        [license]
        expires_at = 2027-11-22T00:00:00Z
        not_before = 2026-11-22T00:00:00Z
        issued_at = 2026-11-22T10:00:00Z
        tags = []
        features = ["sso", "audit-export"]
        seats = 250
        tier = "medium"
        instance_domain = "tools.acme.example"
        customer = "Acme Corp"
        subscription_id = "sub_01JD2ACME"
        id = "lic_01JD3ACME"
        limits = { users = 250, devices = 5000 }
        """
            .formatted(new LicenseReader().read(text).signature().value());
    assertThat(verify("format = 1\n" + reordered).code()).isEqualTo(VerificationCode.VALID);
  }

  @Test
  void survives_a_mail_program_rewrapping_the_signature() {
    String value = new LicenseReader().read(text).signature().value();
    String wrapped =
        "\"\"\"\n  " + value.substring(0, 20) + "\n  " + value.substring(20) + "\n  \"\"\"";
    String rewrapped =
        text.replaceAll("(?s)value = \"\"\".*?\"\"\"", "value = " + wrapped.replace("\\", "\\\\"));
    assertThat(verify(rewrapped).code()).isEqualTo(VerificationCode.VALID);
  }

  @Test
  void accepts_a_byte_order_mark() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    byte[] withBom = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, withBom, 0, bom.length);
    System.arraycopy(body, 0, withBom, bom.length, body.length);

    assertThat(new LicenseReader().read(withBom).license().customer()).isEqualTo("Acme Corp");
  }

  @Test
  void offsets_other_than_z_name_the_same_instant() {
    String shifted =
        text.replace("expires_at = 2027-11-22T00:00:00Z", "expires_at = 2027-11-22T09:00:00+09:00");
    assertThat(verify(shifted).code()).isEqualTo(VerificationCode.VALID);
  }

  @Test
  void unknown_keys_in_license_are_kept_and_signed() {
    License license =
        TestLicenses.acme()
            .extension("support_level", "gold")
            .extension("max_nodes", 3L)
            .extension("renewal", Map.of("window_days", 45L, "contact", "sales@vendor.example"))
            .extension("regions", List.of("eu", "us"))
            .extension("contract_start", LocalDate.parse("2026-11-01"))
            .build();
    String withExtensions = keys.signing().sign(license).toToml();

    SignedLicense read = new LicenseReader().read(withExtensions);

    assertThat(read.license().extensions())
        .containsEntry("support_level", "gold")
        .containsEntry("max_nodes", 3L)
        .containsEntry("regions", List.of("eu", "us"));
    assertThat(verify(withExtensions).code()).isEqualTo(VerificationCode.VALID);
    assertThat(verify(withExtensions.replace("\"gold\"", "\"platinum\"")).code())
        .isEqualTo(VerificationCode.SIGNATURE_MISMATCH);
  }

  @Test
  void a_license_that_readers_would_refuse_cannot_be_built() {
    assertThatThrownBy(() -> TestLicenses.acme().limit("max users", 5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("license.limits: key 'max users' must be 1 to 64 of A-Z, a-z, 0-9, '_' or '-'");
    assertThatThrownBy(() -> TestLicenses.acme().extension("a.b", 1L).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void reads_from_a_file(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("acme.license.toml");
    Files.writeString(file, text);

    assertThat(new LicenseReader().read(file).license().id()).isEqualTo("lic_01JD3ACME");
  }

  @Test
  void normalizes_instance_domains() {
    assertThat(InstanceDomain.normalize("HTTPS://Tools.Acme.Example.:8443/login"))
        .isEqualTo("tools.acme.example");
    assertThat(InstanceDomain.same("tools.acme.example.", "TOOLS.acme.example")).isTrue();
  }
}
