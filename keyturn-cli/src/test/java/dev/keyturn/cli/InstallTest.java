package dev.keyturn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyturn.core.usage.SignedUsageReport;
import dev.keyturn.core.usage.UsageReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keyturn install}: the product's install, run by an admin against its state directory. */
class InstallTest {
  private final Keyturn keyturn = new Keyturn();
  @TempDir Path dir;
  private Path keys;
  private Path signingKey;
  private Path stateDir;
  private Path acme;

  @BeforeEach
  void keysLicenseAndStateDir() throws IOException {
    keys = dir.resolve("keys");
    signingKey = keyturn.generateKeys(keys, "2026-a");
    stateDir = Files.createDirectories(dir.resolve("state"));
    acme = issue("acme.license.toml");
  }

  /** The Acme license (one year from 2026-11-22), issued now, with any extra issue options. */
  private Path issue(String name, String... options) {
    Path file = dir.resolve(name);
    Keyturn.Result r = keyturn.issueAcme(signingKey, file, options);
    assertThat(r.exitCode()).as(r.err()).isZero();
    return file;
  }

  private Keyturn.Result install(Path license, String... extra) {
    return keyturn.install(license, stateDir, keys, extra);
  }

  private Keyturn.Result status() {
    return keyturn.status(stateDir, keys, "--json");
  }

  private static JsonNode json(Keyturn.Result r) throws IOException {
    return new ObjectMapper().readTree(r.out());
  }

  private String idOf(Path license) throws IOException {
    return json(keyturn.run("license", "inspect", license.toString(), "--json")).get("id").asText();
  }

  @Test
  void an_accepted_license_exits_0_prints_what_is_in_force_and_status_shows_it() throws Exception {
    Keyturn.Result r = install(acme, "--zone", "UTC");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith(
            "Installed license "
                + idOf(acme)
                + " for Acme Corp, valid until 2027-11-22T00:00:00Z."
                + System.lineSeparator())
        .contains("In force now:")
        .contains("active")
        .contains("customer  Acme Corp")
        .contains("expires   2027-11-22 00:00 UTC");
    assertThat(r.err()).isEmpty();
    Keyturn.Result status = status();
    assertThat(status.exitCode()).isZero();
    assertThat(json(status).get("license").get("id").asText()).isEqualTo(idOf(acme));
    assertThat(stateDir.resolve("licenses")).isDirectoryContaining("glob:**.license.toml");
  }

  @Test
  void a_tampered_file_is_refused_with_signature_mismatch_and_the_old_license_stays()
      throws Exception {
    assertThat(install(acme).exitCode()).isZero();
    Path renewal = issue("renewal.license.toml", "--expires-at", "2028-11-22");
    Files.writeString(renewal, Files.readString(renewal).replace("seats = 250", "seats = 2500"));

    Keyturn.Result r = install(renewal);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("keyturn: SIGNATURE_MISMATCH: ")
        .contains(
            "keyturn: nothing was installed; in force: " + idOf(acme) + " (Acme Corp), active");
    assertThat(r.out()).isEmpty();
    JsonNode status = json(status());
    assertThat(status.get("license").get("id").asText()).isEqualTo(idOf(acme));
    assertThat(status.get("expires_at").asText()).isEqualTo("2027-11-22T00:00:00Z");
  }

  @Test
  void installing_while_locked_unlocks_at_once() throws Exception {
    assertThat(install(acme).exitCode()).isZero();
    keyturn.clock.set(Instant.parse("2028-02-01T00:00:00Z"));
    assertThat(status().exitCode()).isEqualTo(4);
    Path renewal = issue("renewal.license.toml", "--expires-at", "2029-02-01");

    Keyturn.Result r = install(renewal);

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("In force now:").contains("active");
    Keyturn.Result status = status();
    assertThat(status.exitCode()).isZero();
    assertThat(json(status).get("summary").asText()).isEqualTo("active");
    assertThat(json(status).get("license").get("id").asText()).isEqualTo(idOf(renewal));
  }

  @Test
  void json_reports_code_license_and_the_standing_now() throws Exception {
    Keyturn.Result r = install(acme, "--json");

    assertThat(r.exitCode()).isZero();
    JsonNode json = json(r);
    assertThat(json.get("code").asText()).isEqualTo("VALID");
    assertThat(json.get("installed").asBoolean()).isTrue();
    assertThat(json.get("in_force").asBoolean()).isTrue();
    assertThat(json.get("license").get("customer").asText()).isEqualTo("Acme Corp");
    assertThat(json.get("excesses")).isEmpty();
    assertThat(json.get("lowered_limits")).isEmpty();
    assertThat(json.get("status").get("mode").asText()).isEqualTo("FULL");
    assertThat(json.get("status").get("license").get("id").asText()).isEqualTo(idOf(acme));
  }

  @Test
  void json_of_a_refusal_carries_the_code_and_the_standing_that_stays() throws Exception {
    Path otherKeys = dir.resolve("other");
    Path otherSigner = keyturn.generateKeys(otherKeys, "2027-b");
    Path foreign = dir.resolve("foreign.license.toml");
    assertThat(keyturn.issueAcme(otherSigner, foreign).exitCode()).isZero();

    Keyturn.Result r = install(foreign, "--json");

    assertThat(r.exitCode()).isEqualTo(1);
    JsonNode json = json(r);
    assertThat(json.get("code").asText()).isEqualTo("UNKNOWN_KEY_ID");
    assertThat(json.get("message").asText()).contains("'2027-b'");
    assertThat(json.get("installed").asBoolean()).isFalse();
    assertThat(json.get("status").get("mode").asText()).isEqualTo("LOCKED");
    assertThat(json.get("status").get("flags"))
        .extracting(JsonNode::asText)
        .containsExactly("NO_LICENSE");
  }

  @Test
  void an_expired_license_is_refused() {
    keyturn.clock.set(Instant.parse("2027-11-22T00:00:00Z"));

    Keyturn.Result r = install(acme);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("keyturn: EXPIRED: ").contains("locked: no license");
  }

  @Test
  void a_license_for_another_instance_is_refused() {
    Keyturn.Result r = install(acme, "--instance-domain", "https://tools.other.example/");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("keyturn: INSTANCE_MISMATCH: ")
        .contains("'tools.other.example'");
  }

  @Test
  void a_lowered_limit_installs_with_a_note_that_usage_was_not_checked() throws Exception {
    assertThat(install(acme).exitCode()).isZero();
    Path smaller =
        issue("small.license.toml", "--expires-at", "2028-11-22", "--limit", "users=100");

    Keyturn.Result r = install(smaller);

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err())
        .contains("note: this license lowers users from 250 to 100")
        .contains("has not recorded its usage");
    Path smallest =
        issue("smallest.license.toml", "--expires-at", "2029-11-22", "--limit", "users=50");
    JsonNode json = json(install(smallest, "--json"));
    assertThat(json.get("lowered_limits").get(0).get("limit").asText()).isEqualTo("users");
    assertThat(json.get("lowered_limits").get(0).get("from").asLong()).isEqualTo(100);
    assertThat(json.get("lowered_limits").get(0).get("to").asLong()).isEqualTo(50);
  }

  /** The running product, recording its usage in the state directory as issue 18 has it. */
  private void productRecords(Instant at, java.util.Map<String, Long> usage) {
    try (dev.keyturn.client.LicenseManager product =
        dev.keyturn.client.LicenseManager.builder()
            .stateDir(stateDir)
            .trustedKeys(dev.keyturn.core.crypto.KeyRing.builder().addPath(keys).build())
            .clock(java.time.Clock.fixed(at, java.time.ZoneOffset.UTC))
            .background(false)
            .build()) {
      product.reportUsage(usage);
    }
  }

  @Test
  void a_downgrade_below_the_usage_the_product_recorded_is_refused() throws Exception {
    assertThat(install(acme).exitCode()).isZero();
    productRecords(Keyturn.NOW, Map.of("users", 240L));
    Path smaller =
        issue("small.license.toml", "--expires-at", "2028-11-22", "--limit", "users=100");
    keyturn.clock.advance(java.time.Duration.ofHours(1));

    Keyturn.Result r = install(smaller, "--json");

    assertThat(r.exitCode()).isEqualTo(1);
    JsonNode json = json(r);
    assertThat(json.get("code").asText()).isEqualTo("USAGE_EXCEEDS_LIMITS");
    assertThat(json.get("excesses").get(0).get("usage").asLong()).isEqualTo(240);
    assertThat(json.get("message").asText())
        .endsWith("(usage as the product recorded it at 2026-11-22T10:00:00Z)");
    assertThat(json.get("status").get("license").get("id").asText()).isEqualTo(idOf(acme));
  }

  @Test
  void recorded_usage_older_than_a_day_is_named_as_too_old_to_trust() throws Exception {
    assertThat(install(acme).exitCode()).isZero();
    productRecords(Keyturn.NOW, Map.of("users", 240L));
    Path smaller =
        issue("small.license.toml", "--expires-at", "2028-11-22", "--limit", "users=100");
    keyturn.clock.advance(java.time.Duration.ofDays(3));

    Keyturn.Result r = install(smaller);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("keyturn: USAGE_EXCEEDS_LIMITS: ")
        .contains("users: 240 in use, the new license allows 100")
        .contains("more than 24 hours ago, too old to trust");
  }

  private Keyturn.Result usageExport(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "usage", "export", "--state-dir", stateDir.toString(), "--trust", keys.toString()));
    args.addAll(List.of(extra));
    return keyturn.run(args.toArray(String[]::new));
  }

  @Test
  void usage_export_writes_a_signed_report_numbered_per_export() throws Exception {
    assertThat(install(acme).exitCode()).isZero();
    productRecords(Keyturn.NOW, Map.of("users", 240L));
    Path out = dir.resolve("report.json");

    Keyturn.Result r = usageExport("--out", out.toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .startsWith("Wrote usage report #1 of installation ki_")
        .contains("(2026-11 to 2026-11)");
    UsageReport report = SignedUsageReport.read(Files.readAllBytes(out)).verify();
    assertThat(report.peak("users")).contains(240L);
    assertThat(report.licenseId()).isEqualTo(idOf(acme));
    byte[] second = usageExport().out().getBytes(StandardCharsets.UTF_8);
    assertThat(SignedUsageReport.read(second).verify().sequence()).isEqualTo(2);
    Keyturn.Result exists = usageExport("--out", out.toString());
    assertThat(exists.exitCode()).isEqualTo(1);
    assertThat(exists.err()).contains("exists; choose another --out");
  }

  @Test
  void an_older_license_is_kept_but_the_newer_stays_in_force() throws Exception {
    Path renewal = issue("renewal.license.toml", "--expires-at", "2028-11-22");
    assertThat(install(renewal).exitCode()).isZero();

    Keyturn.Result r = install(acme, "--json");

    assertThat(r.exitCode()).isZero();
    JsonNode json = json(r);
    assertThat(json.get("in_force").asBoolean()).isFalse();
    assertThat(json.get("message").asText()).contains("stays in force");
    assertThat(json.get("status").get("license").get("id").asText()).isEqualTo(idOf(renewal));
  }

  @Test
  void a_missing_file_is_named_and_nothing_is_installed() {
    Path missing = dir.resolve("nowhere.license.toml");

    Keyturn.Result r = install(missing);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("keyturn: no such file: " + missing + System.lineSeparator());
  }

  @Test
  void a_missing_state_directory_is_an_error_and_is_not_created() {
    Path nowhere = dir.resolve("nowhere");

    Keyturn.Result r = keyturn.install(acme, nowhere, keys);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("keyturn: no such directory: " + nowhere)
        .contains("create it first");
    assertThat(nowhere).doesNotExist();
  }

  @Test
  void state_dir_and_trust_are_required() {
    Keyturn.Result r = keyturn.run("install", acme.toString());

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--state-dir").contains("--trust");
  }
}
