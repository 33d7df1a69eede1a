package dev.keyturn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Help.Ansi;

/**
 * {@code keyturn status} over a license's life, as dated scenarios: the docs/design.md §3 license
 * (expires 2027-11-22, 60 days of full grace, so it locks 2028-01-21) installed on 2026-11-22.
 */
class StatusTest {
  private static final String NL = System.lineSeparator();

  private final Keyturn keyturn = new Keyturn();
  @TempDir Path dir;
  private Path keys;
  private Path signingKey;
  private Path stateDir;

  @BeforeEach
  void keysAndStateDir() throws IOException {
    keys = dir.resolve("keys");
    signingKey = keyturn.generateKeys(keys, "2026-a");
    stateDir = Files.createDirectories(dir.resolve("state"));
  }

  /** Issues and installs the Acme license now, with any extra issue options; returns its id. */
  private String installAcme(String... issueOptions) {
    Path license = dir.resolve("acme.license.toml");
    Keyturn.Result issued = keyturn.issueAcme(signingKey, license, issueOptions);
    assertThat(issued.exitCode()).as(issued.err()).isZero();
    Keyturn.Result installed = keyturn.install(license, stateDir, keys, "--json");
    assertThat(installed.exitCode()).as(installed.err()).isZero();
    try {
      return json(installed).get("license").get("id").asText();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private Keyturn.Result statusAt(String instant, String... extra) {
    keyturn.clock.set(Instant.parse(instant));
    return keyturn.status(stateDir, keys, extra);
  }

  private static String headline(Keyturn.Result r) {
    return r.out().lines().findFirst().orElse("");
  }

  private static JsonNode json(Keyturn.Result r) throws IOException {
    return new ObjectMapper().readTree(r.out());
  }

  @Test
  void an_active_license_exits_0_with_customer_tier_dates_and_mode() {
    String id = installAcme();

    Keyturn.Result r = statusAt("2027-03-01T12:00:00Z", "--zone", "UTC");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(
            String.join(
                    NL,
                    "active",
                    "  customer  Acme Corp",
                    "  license   " + id,
                    "  tier      medium",
                    "  expires   2027-11-22 00:00 UTC",
                    "  locks     2028-01-21 00:00 UTC",
                    "  mode      FULL (the product works normally)",
                    "  flags     none",
                    "  banner    none")
                + NL);
    assertThat(id).startsWith("lic_");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void seven_days_before_expiry_it_expires_in_7_days() {
    installAcme();

    Keyturn.Result r = statusAt("2027-11-15T00:00:00Z", "--zone", "UTC");

    assertThat(r.exitCode()).isZero();
    assertThat(headline(r)).isEqualTo("expires in 7 days");
    assertThat(r.out()).contains("mode      FULL").contains("banner    ").contains("7 days");
  }

  @Test
  void one_day_before_expiry_it_expires_tomorrow() {
    installAcme();

    Keyturn.Result r = statusAt("2027-11-21T00:00:00Z", "--zone", "UTC");

    assertThat(r.exitCode()).isZero();
    assertThat(headline(r)).isEqualTo("expires tomorrow");
  }

  @Test
  void today_and_tomorrow_follow_the_viewers_calendar() {
    installAcme();

    // 12:00 UTC on the 21st: expiry is midnight UTC tomorrow, but 21:00 today in São Paulo.
    assertThat(headline(statusAt("2027-11-21T12:00:00Z", "--zone", "UTC")))
        .isEqualTo("expires tomorrow");
    assertThat(headline(statusAt("2027-11-21T12:00:00Z", "--zone", "America/Sao_Paulo")))
        .isEqualTo("expires today");
    assertThat(statusAt("2027-11-21T12:00:00Z", "--zone", "America/Sao_Paulo").out())
        .contains("expires   2027-11-21 21:00 BRT");
  }

  @Test
  void in_full_grace_it_counts_days_before_lock_and_exits_0() {
    installAcme();

    Keyturn.Result r = statusAt("2027-12-02T00:00:00Z", "--zone", "UTC");

    assertThat(r.exitCode()).isZero();
    assertThat(headline(r)).isEqualTo("grace: 50 days before lock");
    assertThat(r.out()).contains("mode      FULL");
  }

  @Test
  void in_read_only_grace_it_exits_3() {
    installAcme("--grace-mode", "read-only");

    Keyturn.Result r = statusAt("2027-12-02T00:00:00Z", "--zone", "UTC");

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(headline(r)).isEqualTo("grace: 50 days before lock (read-only)");
    assertThat(r.out()).contains("mode      READ_ONLY");
  }

  @Test
  void after_grace_it_is_locked_and_exits_4() {
    installAcme();

    Keyturn.Result r = statusAt("2028-01-21T00:00:00Z", "--zone", "UTC");

    assertThat(r.exitCode()).isEqualTo(4);
    assertThat(headline(r)).isEqualTo("locked");
    assertThat(r.out()).contains("mode      LOCKED").contains("locks     2028-01-21 00:00 UTC");
  }

  @Test
  void without_an_installed_license_it_is_locked_and_says_none_is_installed() {
    Keyturn.Result r = statusAt("2027-03-01T00:00:00Z");

    assertThat(r.exitCode()).isEqualTo(4);
    assertThat(headline(r)).isEqualTo("locked: no license");
    assertThat(r.out())
        .contains("license  none installed")
        .contains("hint     install one with: keyturn install FILE --state-dir " + stateDir)
        .contains("No license is installed.");
  }

  @Test
  void a_clock_turned_back_is_flagged_and_licensing_keeps_the_latest_time() throws Exception {
    installAcme();
    // The product runs on 2027-11-16 (D-6) and records that time...
    keyturn.clock.set(Instant.parse("2027-11-16T00:00:00Z"));
    keyturn.install(dir.resolve("acme.license.toml"), stateDir, keys);

    // ...then someone sets the clock back to the summer.
    Keyturn.Result r = statusAt("2027-06-01T00:00:00Z", "--zone", "UTC");

    assertThat(r.exitCode()).isZero();
    assertThat(headline(r)).isEqualTo("expires in 6 days, clock rollback");
    assertThat(r.out())
        .contains("flags     CLOCK_ROLLBACK")
        .contains("clock     2027-06-01 00:00 UTC; licensing uses 2027-11-16 00:00 UTC")
        .contains("The system clock says");
    JsonNode json = json(statusAt("2027-06-01T00:00:00Z", "--json"));
    assertThat(json.get("flags")).extracting(JsonNode::asText).containsExactly("CLOCK_ROLLBACK");
    assertThat(json.get("evaluated_at").asText()).isEqualTo("2027-11-16T00:00:00Z");
    assertThat(json.get("clock_time").asText()).isEqualTo("2027-06-01T00:00:00Z");
  }

  @Test
  void json_carries_the_same_standing_with_snake_case_keys() throws Exception {
    installAcme();

    Keyturn.Result r = statusAt("2027-11-15T00:00:00Z", "--json", "--zone", "UTC");

    assertThat(r.exitCode()).isZero();
    JsonNode json = json(r);
    assertThat(json.get("summary").asText()).isEqualTo("expires in 7 days");
    assertThat(json.get("phase").asText()).isEqualTo("EXPIRING");
    assertThat(json.get("mode").asText()).isEqualTo("FULL");
    assertThat(json.get("stage").asText()).isEqualTo("D-7");
    assertThat(json.get("days_until_expiry").asLong()).isEqualTo(7);
    assertThat(json.get("days_until_lock").asLong()).isEqualTo(67);
    assertThat(json.get("expires_at").asText()).isEqualTo("2027-11-22T00:00:00Z");
    assertThat(json.get("locks_at").asText()).isEqualTo("2028-01-21T00:00:00Z");
    assertThat(json.get("flags")).isEmpty();
    assertThat(json.get("banner").get("level").asText()).isEqualTo("WARNING");
    assertThat(json.get("banner").get("display").asText()).isEqualTo("SHOWN");
    assertThat(json.get("banner").get("text").asText()).contains("7 days");
    JsonNode license = json.get("license");
    assertThat(license.get("id").asText()).startsWith("lic_");
    assertThat(license.get("customer").asText()).isEqualTo("Acme Corp");
    assertThat(license.get("tier").asText()).isEqualTo("medium");
    assertThat(license.get("instance_domain").asText()).isEqualTo("tools.acme.example");
    assertThat(license.get("limits").get("users").asLong()).isEqualTo(250);
    assertThat(license.get("policy").get("grace_days").asInt()).isEqualTo(60);
    assertThat(json.get("evaluated_at").asText()).isEqualTo("2027-11-15T00:00:00Z");
  }

  @Test
  void json_without_a_license_has_a_null_license_and_the_no_license_flag() throws Exception {
    Keyturn.Result r = statusAt("2027-03-01T00:00:00Z", "--json");

    assertThat(r.exitCode()).isEqualTo(4);
    JsonNode json = json(r);
    assertThat(json.get("mode").asText()).isEqualTo("LOCKED");
    assertThat(json.get("license").isNull()).isTrue();
    assertThat(json.get("flags")).extracting(JsonNode::asText).containsExactly("NO_LICENSE");
  }

  @Test
  void status_writes_nothing_into_the_state_directory() throws Exception {
    installAcme();
    Map<String, String> before = contents(stateDir);

    // Stages a writable client would audit (D-30, grace, lock), and a clock turned back.
    for (String at :
        List.of(
            "2027-10-23T00:00:00Z",
            "2027-12-02T00:00:00Z",
            "2028-02-01T00:00:00Z",
            "2026-01-01T00:00:00Z")) {
      assertThat(statusAt(at).exitCode()).isIn(0, 4);
      assertThat(statusAt(at, "--json").exitCode()).isIn(0, 4);
    }

    assertThat(contents(stateDir)).isEqualTo(before);
  }

  @Test
  void status_of_an_empty_state_directory_creates_nothing() throws Exception {
    assertThat(statusAt("2027-03-01T00:00:00Z").exitCode()).isEqualTo(4);

    try (Stream<Path> files = Files.list(stateDir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void a_missing_state_directory_is_an_error_not_a_lock() {
    Path nowhere = dir.resolve("nowhere");

    Keyturn.Result r = keyturn.status(nowhere, keys);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("keyturn: no such directory: " + nowhere)
        .doesNotContain("\tat ");
    assertThat(nowhere).doesNotExist();
  }

  @Test
  void trust_is_required_and_the_message_says_why() {
    Keyturn.Result r = keyturn.run("status", "--state-dir", stateDir.toString());

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .contains("Missing required option: '--trust=DIR_OR_PEM'")
        .contains("The state directory does not record them");
  }

  @Test
  void keys_other_than_the_products_show_as_no_license_with_a_hint() {
    installAcme();
    Path otherKeys = dir.resolve("other");
    keyturn.generateKeys(otherKeys, "2027-b");

    keyturn.clock.set(Instant.parse("2027-03-01T00:00:00Z"));
    Keyturn.Result r = keyturn.status(stateDir, otherKeys);

    assertThat(r.exitCode()).isEqualTo(4);
    assertThat(r.out())
        .contains("1 license file(s) in " + stateDir.resolve("licenses"))
        .contains("check --trust and --instance-domain");
  }

  @Test
  void colors_only_when_the_terminal_takes_them() {
    installAcme();
    keyturn.clock.set(Instant.parse("2027-03-01T00:00:00Z"));
    String[] args = {"status", "--state-dir", stateDir.toString(), "--trust", keys.toString()};

    Keyturn.Result colored = keyturn.runWith(Ansi.ON, args);
    Keyturn.Result plain = keyturn.runWith(Ansi.OFF, args);

    assertThat(colored.out()).startsWith("\u001B[").contains("active\u001B[0m");
    assertThat(plain.out()).doesNotContain("\u001B").startsWith("active" + NL);
  }

  /** Every file under {@code root}: its bytes, size and modification time. */
  private static Map<String, String> contents(Path root) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted().toList()) {
        String key = root.relativize(p).toString();
        out.put(
            key,
            Files.isDirectory(p)
                ? "dir " + Files.getLastModifiedTime(p)
                : Files.size(p)
                    + " "
                    + Files.getLastModifiedTime(p)
                    + " "
                    + HexFormat.of().formatHex(Files.readAllBytes(p)));
      }
    }
    return out;
  }
}
