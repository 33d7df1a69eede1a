package dev.keyturn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LicenseVerifyTest {
  private final Keyturn keyturn = new Keyturn();
  @TempDir Path dir;
  private Path keys;
  private Path license;

  @BeforeEach
  void issue() {
    keys = dir.resolve("keys");
    Path signingKey = keyturn.generateKeys(keys, "2026-a");
    license = dir.resolve("acme.license.toml");
    Keyturn.Result r = keyturn.issueAcme(signingKey, license);
    assertThat(r.exitCode()).as(r.err()).isZero();
  }

  private Keyturn.Result verify(String... extra) {
    String[] args = new String[extra.length + 5];
    args[0] = "license";
    args[1] = "verify";
    args[2] = license.toString();
    args[3] = "--trust";
    args[4] = keys.toString();
    System.arraycopy(extra, 0, args, 5, extra.length);
    return keyturn.run(args);
  }

  private static JsonNode json(Keyturn.Result r) throws Exception {
    return new ObjectMapper().readTree(r.out());
  }

  private void edit(String from, String to) throws Exception {
    String text = Files.readString(license);
    assertThat(text).contains(from);
    Files.writeString(license, text.replace(from, to));
  }

  @Test
  void a_freshly_issued_license_is_valid_now() {
    Keyturn.Result r = verify();

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith("VALID: valid for Acme Corp until 2027-11-22T00:00:00Z")
        .contains("customer")
        .contains("tools.acme.example")
        .contains("2026-a");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void trusts_a_single_public_key_file_as_well_as_a_folder() {
    Keyturn.Result r =
        keyturn.run(
            "license",
            "verify",
            license.toString(),
            "--trust",
            keys.resolve("2026-a.public.pem").toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
  }

  @Test
  void json_output_carries_code_message_and_license() throws Exception {
    Keyturn.Result r = verify("--json", "--instance-domain", "Tools.Acme.Example");

    assertThat(r.exitCode()).isZero();
    JsonNode json = json(r);
    assertThat(json.get("code").asText()).isEqualTo("VALID");
    assertThat(json.get("message").asText()).contains("Acme Corp");
    JsonNode l = json.get("license");
    assertThat(l.get("id").asText()).startsWith("lic_");
    assertThat(l.get("customer").asText()).isEqualTo("Acme Corp");
    assertThat(l.get("subscription_id").asText()).isEqualTo("sub_01JD2ACME");
    assertThat(l.get("instance_domain").asText()).isEqualTo("tools.acme.example");
    assertThat(l.get("seats").asLong()).isEqualTo(250);
    assertThat(l.get("features"))
        .extracting(JsonNode::asText)
        .containsExactly("sso", "audit-export");
    assertThat(l.get("expires_at").asText()).isEqualTo("2027-11-22T00:00:00Z");
    assertThat(l.get("limits").get("devices").asLong()).isEqualTo(5000);
    assertThat(l.get("policy").get("grace_mode").asText()).isEqualTo("full");
    assertThat(l.get("key_id").asText()).isEqualTo("2026-a");
  }

  @Test
  void malformed_file_gives_malformed_and_no_license() throws Exception {
    Files.writeString(license, "this is not = = toml");

    Keyturn.Result r = verify("--json");

    assertThat(r.exitCode()).isEqualTo(1);
    JsonNode json = json(r);
    assertThat(json.get("code").asText()).isEqualTo("MALFORMED");
    assertThat(json.get("message").asText()).contains("not a valid TOML file");
    assertThat(json.get("license").isNull()).isTrue();
  }

  @Test
  void a_missing_file_is_a_failed_operation_not_a_malformed_license() {
    license = dir.resolve("nowhere.license.toml");

    Keyturn.Result r = verify();

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo("keyturn: no such file: " + license + System.lineSeparator())
        .doesNotContain("MALFORMED");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void a_folder_is_not_taken_for_a_license() {
    license = dir;

    Keyturn.Result r = verify();

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("keyturn: " + dir + " is a folder").doesNotContain("MALFORMED");
  }

  @Test
  void a_newer_format_is_unsupported() throws Exception {
    edit("format = 1", "format = 3");

    Keyturn.Result r = verify();

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .startsWith(
            "UNSUPPORTED_FORMAT: license format 3 is newer than this product understands (format"
                + " 2); update the product to use this license");
  }

  @Test
  void a_license_signed_by_an_untrusted_key_has_an_unknown_key_id() throws Exception {
    Path otherKeys = dir.resolve("other");
    keyturn.generateKeys(otherKeys, "2027-b");

    Keyturn.Result r =
        keyturn.run(
            "license", "verify", license.toString(), "--trust", otherKeys.toString(), "--json");

    assertThat(r.exitCode()).isEqualTo(1);
    JsonNode json = json(r);
    assertThat(json.get("code").asText()).isEqualTo("UNKNOWN_KEY_ID");
    assertThat(json.get("message").asText()).contains("'2026-a'").contains("2027-b");
    assertThat(json.get("license").get("customer").asText()).isEqualTo("Acme Corp");
  }

  @Test
  void an_edited_value_breaks_the_signature() throws Exception {
    edit("seats = 250", "seats = 2500");

    Keyturn.Result r = verify();

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("SIGNATURE_MISMATCH: the signature does not match");
    assertThat(r.err()).as("the license's fields stay with the verdict").contains("2500");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void before_not_before_it_is_not_yet_valid() {
    Keyturn.Result r = verify("--at", "2026-11-21T23:59:59Z");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("NOT_YET_VALID: this license becomes valid at 2026-11-22T00:00:00Z");
  }

  @Test
  void at_expiry_it_is_expired() {
    Keyturn.Result r = verify("--at", "2027-11-22");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("EXPIRED: this license expired at 2027-11-22T00:00:00Z");
  }

  @Test
  void the_clock_decides_when_no_instant_is_given() {
    keyturn.clock.set(java.time.Instant.parse("2027-11-22T00:00:00Z"));

    assertThat(verify().exitCode()).isEqualTo(1);
    keyturn.clock.set(java.time.Instant.parse("2027-11-21T23:59:59Z"));
    assertThat(verify().exitCode()).isZero();
  }

  @Test
  void another_instance_domain_is_an_instance_mismatch() throws Exception {
    Keyturn.Result r = verify("--instance-domain", "https://tools.other.example/", "--json");

    assertThat(r.exitCode()).isEqualTo(1);
    JsonNode json = json(r);
    assertThat(json.get("code").asText()).isEqualTo("INSTANCE_MISMATCH");
    assertThat(json.get("message").asText())
        .contains("'tools.acme.example'")
        .contains("'tools.other.example'");
  }

  @Test
  void a_missing_trust_folder_is_a_clean_failure() {
    Keyturn.Result r =
        keyturn.run(
            "license", "verify", license.toString(), "--trust", dir.resolve("nope").toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("keyturn: no such key file or folder").doesNotContain("\tat ");
  }

  @Test
  void trust_is_required_and_a_bad_instant_is_a_usage_error() {
    Keyturn.Result noTrust = keyturn.run("license", "verify", license.toString());
    assertThat(noTrust.exitCode()).isEqualTo(2);
    assertThat(noTrust.err()).contains("--trust");

    Keyturn.Result badAt = verify("--at", "tomorrow");
    assertThat(badAt.exitCode()).isEqualTo(2);
    assertThat(badAt.err()).contains("'tomorrow' is not a date or an instant");
  }
}
