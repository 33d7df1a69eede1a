package dev.keyturn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LicenseInspectTest {
  private final Keyturn keyturn = new Keyturn();
  @TempDir Path dir;
  private Path license;

  @BeforeEach
  void issue() {
    Path signingKey = keyturn.generateKeys(dir.resolve("keys"), "2026-a");
    license = dir.resolve("acme.license.toml");
    keyturn.issueAcme(signingKey, license, "--tag", "internal");
  }

  @Test
  void shows_every_field_and_says_it_did_not_verify() {
    Keyturn.Result r = keyturn.run("license", "inspect", license.toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("not verified");
    assertThat(r.out().lines())
        .anySatisfy(l -> assertThat(l).matches("  customer +Acme Corp"))
        .anySatisfy(l -> assertThat(l).matches("  features +sso, audit-export"))
        .anySatisfy(l -> assertThat(l).matches("  tags +internal"))
        .anySatisfy(l -> assertThat(l).matches("  limits +devices = 5000, users = 250"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .matches("  policy +preset = appliance, grace_days = 60, grace_mode = full"))
        .anySatisfy(l -> assertThat(l).matches("  expires_at +2027-11-22T00:00:00Z"))
        .anySatisfy(l -> assertThat(l).matches("  key_id +2026-a"));
  }

  @Test
  void shows_the_fields_of_a_tampered_license_too() throws Exception {
    Files.writeString(
        license,
        Files.readString(license).replace("customer = \"Acme Corp\"", "customer = \"Evil\""));

    Keyturn.Result r = keyturn.run("license", "inspect", license.toString(), "--json");

    assertThat(r.exitCode()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("customer").asText()).isEqualTo("Evil");
    assertThat(json.get("format").asLong()).isEqualTo(1);
    assertThat(json.get("tags")).extracting(JsonNode::asText).containsExactly("internal");
    assertThat(json.get("not_before").asText()).isEqualTo("2026-11-22T00:00:00Z");
  }

  @Test
  void an_unreadable_file_fails_with_its_code_and_reason() throws Exception {
    Files.writeString(license, "format = 1\n[license]\nid = \"x\"\n");

    Keyturn.Result text = keyturn.run("license", "inspect", license.toString());
    assertThat(text.exitCode()).isEqualTo(1);
    assertThat(text.err()).startsWith("MALFORMED: the [signature] table is missing");
    assertThat(text.out()).isEmpty();

    Keyturn.Result json = keyturn.run("license", "inspect", license.toString(), "--json");
    assertThat(json.exitCode()).isEqualTo(1);
    JsonNode node = new ObjectMapper().readTree(json.out());
    assertThat(node.get("code").asText()).isEqualTo("MALFORMED");
    assertThat(node.get("license").isNull()).isTrue();
  }
}
