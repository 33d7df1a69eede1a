package dev.keyturn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyturn.core.crypto.SigningKey;
import dev.keyturn.core.license.GraceMode;
import dev.keyturn.core.license.License;
import dev.keyturn.core.lifecycle.BannerLevel;
import dev.keyturn.core.lifecycle.Dismissal;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.core.lifecycle.Recipient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The docs/design.md §4 tables, as the vendor previews them from the command line. */
class SimulateTest {
  private final Keyturn keyturn = new Keyturn();
  @TempDir Path dir;

  /** Runs {@code keyturn simulate <args>}; the arguments are split on spaces. */
  private Keyturn.Result simulate(String args) {
    return keyturn.run(("simulate " + args).split(" "));
  }

  private static List<JsonNode> rows(Keyturn.Result r) throws Exception {
    assertThat(r.exitCode()).as(r.err()).isZero();
    List<JsonNode> rows = new ArrayList<>();
    new ObjectMapper().readTree(r.out()).forEach(rows::add);
    return rows;
  }

  /**
   * One JSON row as a line of the docs/design.md §4 table: when, phase, stage, banner, dismissal,
   * mode, notice.
   */
  private static String line(JsonNode row) {
    return String.join(
        " ",
        row.get("at").asText(),
        row.get("phase").asText(),
        orDash(row.get("stage")),
        row.get("banner_level").asText(),
        row.get("dismissal").asText(),
        row.get("mode").asText(),
        orDash(row.get("notice")));
  }

  private static String orDash(JsonNode n) {
    return n.isNull() ? "-" : n.asText();
  }

  @Test
  void appliance_preset_follows_the_design_table() throws Exception {
    List<JsonNode> rows =
        rows(
            simulate(
                "--expires-at 2027-11-22T00:00:00Z --preset appliance"
                    + " --from 2027-01-01 --to 2028-12-31 --json"));

    assertThat(rows)
        .extracting(SimulateTest::line)
        .containsExactly(
            "2027-01-01T00:00:00Z ACTIVE - NONE NONE FULL -",
            "2027-10-23T00:00:00Z EXPIRING D-30 INFO UNTIL_NEXT_STAGE FULL D-30",
            "2027-11-07T00:00:00Z EXPIRING D-15 WARNING FOR_24H FULL D-15",
            "2027-11-15T00:00:00Z EXPIRING D-7 WARNING TO_PILL FULL D-7",
            "2027-11-21T00:00:00Z EXPIRING D-1 DANGER NOT_DISMISSIBLE FULL D-1",
            "2027-11-22T00:00:00Z GRACE EXPIRY DANGER NOT_DISMISSIBLE FULL EXPIRY",
            "2028-01-21T00:00:00Z LOCKED LOCK LOCK NOT_DISMISSIBLE LOCKED LOCK");
    assertThat(rows.get(1).get("days_until_expiry").asLong()).isEqualTo(30);
    assertThat(rows.get(1).get("banner_text").asText())
        .startsWith("Your license expires in 30 days");
    assertThat(rows.get(5).get("banner_text").asText()).contains("60 days remaining before lock");
    assertThat(rows.get(6).get("banner_text").asText()).contains("Paste a renewed license");
  }

  @Test
  void subscription_preset_has_three_reminders_and_a_week_of_read_only_grace() throws Exception {
    List<JsonNode> rows =
        rows(
            simulate(
                "--expires-at 2027-11-22 --preset subscription"
                    + " --from 2027-01-01 --to 2028-12-31 --json"));

    assertThat(rows)
        .extracting(SimulateTest::line)
        .containsExactly(
            "2027-01-01T00:00:00Z ACTIVE - NONE NONE FULL -",
            "2027-10-23T00:00:00Z EXPIRING D-30 INFO UNTIL_NEXT_STAGE FULL D-30",
            "2027-11-15T00:00:00Z EXPIRING D-7 WARNING TO_PILL FULL D-7",
            "2027-11-21T00:00:00Z EXPIRING D-1 DANGER NOT_DISMISSIBLE FULL D-1",
            "2027-11-22T00:00:00Z GRACE EXPIRY DANGER NOT_DISMISSIBLE READ_ONLY EXPIRY",
            "2027-11-29T00:00:00Z LOCKED LOCK LOCK NOT_DISMISSIBLE LOCKED LOCK");
    assertThat(rows.get(4).get("banner_text").asText()).contains("read-only");
    assertThat(rows.get(5).get("banner_text").asText()).contains("suspended");
  }

  @Test
  void human_output_is_an_aligned_table_in_the_viewers_zone() {
    Keyturn.Result r =
        simulate(
            "--expires-at 2027-11-22 --from 2027-11-01 --to 2027-11-30 --zone America/Sao_Paulo");

    assertThat(r.exitCode()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).contains("expiring 2027-11-21T21:00:00-03:00");
    assertThat(lines.get(1))
        .contains("60 days of full grace")
        .contains("times in America/Sao_Paulo");
    List<String> table = lines.subList(3, lines.size());
    assertThat(table.get(0)).startsWith("WHEN").contains("NOTICE").endsWith("BANNER TEXT");
    assertThat(table).hasSize(1 + 5); // the header, then --from, D-15, D-7, D-1 and EXPIRY
    int phase = table.get(0).indexOf("PHASE");
    int notice = table.get(0).indexOf("NOTICE");
    assertThat(table.subList(1, table.size()))
        .allSatisfy(l -> assertThat(l.substring(phase - 2, phase)).isEqualTo("  "))
        .allSatisfy(l -> assertThat(l.substring(phase)).matches("(ACTIVE|EXPIRING|GRACE) .*"))
        .allSatisfy(l -> assertThat(l.substring(notice)).matches("(-|D-\\d+|EXPIRY)( .*)?"));
    assertThat(table.get(2))
        .startsWith("2027-11-06T21:00:00-03:00  EXPIRING  D-15")
        .contains("on 21 Nov 2027, 21:00 BRT");
  }

  @Test
  void a_license_file_brings_its_dates_and_signed_policy() throws Exception {
    Path signingKey = keyturn.generateKeys(dir, "2026-a");
    Path license = dir.resolve("acme.license.toml");
    keyturn.issueAcme(signingKey, license, "--preset", "subscription", "--grace-days", "10");

    List<JsonNode> rows =
        rows(simulate("--license " + license + " --from 2026-11-01 --to 2028-01-01 --json"));

    assertThat(rows)
        .extracting(SimulateTest::line)
        .containsExactly(
            "2026-11-01T00:00:00Z NOT_YET_VALID - LOCK NOT_DISMISSIBLE LOCKED -",
            "2026-11-22T00:00:00Z ACTIVE - NONE NONE FULL -",
            "2027-10-23T00:00:00Z EXPIRING D-30 INFO UNTIL_NEXT_STAGE FULL D-30",
            "2027-11-15T00:00:00Z EXPIRING D-7 WARNING TO_PILL FULL D-7",
            "2027-11-21T00:00:00Z EXPIRING D-1 DANGER NOT_DISMISSIBLE FULL D-1",
            "2027-11-22T00:00:00Z GRACE EXPIRY DANGER NOT_DISMISSIBLE READ_ONLY EXPIRY",
            "2027-12-02T00:00:00Z LOCKED LOCK LOCK NOT_DISMISSIBLE LOCKED LOCK");
  }

  @Test
  void a_license_carrying_a_custom_policy_is_simulated_by_that_policy() throws Exception {
    Path signingKey = keyturn.generateKeys(dir, "2026-a");
    Policy partner =
        Policy.builder("partner")
            .reminder(45, BannerLevel.INFO, Dismissal.UNTIL_NEXT_STAGE, Set.of(Recipient.CUSTOMER))
            .reminder(3, BannerLevel.DANGER, Dismissal.NOT_DISMISSIBLE, Set.of())
            .grace(90, GraceMode.READ_ONLY)
            .build();
    License custom =
        License.builder()
            .id("lic_partner")
            .subscriptionId("sub_partner")
            .customer("Partner Corp")
            .tier("partner")
            .issuedAt(Instant.parse("2026-11-22T00:00:00Z"))
            .notBefore(Instant.parse("2026-11-22T00:00:00Z"))
            .expiresAt(Instant.parse("2027-11-22T00:00:00Z"))
            .policy(partner.toLicensePolicy())
            .build();
    Path license = dir.resolve("partner.license.toml");
    Files.writeString(license, SigningKey.read(signingKey, null).sign(custom).toToml());

    List<JsonNode> rows =
        rows(simulate("--license " + license + " --from 2027-01-01 --to 2028-03-01 --json"));

    assertThat(rows)
        .extracting(SimulateTest::line)
        .containsExactly(
            "2027-01-01T00:00:00Z ACTIVE - NONE NONE FULL -",
            "2027-10-08T00:00:00Z EXPIRING D-45 INFO UNTIL_NEXT_STAGE FULL D-45",
            "2027-11-19T00:00:00Z EXPIRING D-3 DANGER NOT_DISMISSIBLE FULL -",
            "2027-11-22T00:00:00Z GRACE EXPIRY DANGER NOT_DISMISSIBLE READ_ONLY EXPIRY",
            "2028-02-20T00:00:00Z LOCKED LOCK LOCK NOT_DISMISSIBLE LOCKED LOCK");
  }

  @Test
  void a_short_license_sends_the_catch_up_notice_when_it_starts() throws Exception {
    List<JsonNode> rows =
        rows(simulate("--expires-at 2027-11-22 --from 2027-11-12 --to 2027-11-16 --json"));

    assertThat(rows)
        .extracting(SimulateTest::line)
        .containsExactly(
            "2027-11-12T00:00:00Z EXPIRING D-15 WARNING FOR_24H FULL D-15",
            "2027-11-15T00:00:00Z EXPIRING D-7 WARNING TO_PILL FULL D-7");
  }

  @Test
  void without_grace_expiry_and_lock_coincide_and_only_the_lock_is_notified() throws Exception {
    List<JsonNode> rows =
        rows(
            simulate(
                "--expires-at 2027-11-22 --grace-days 0"
                    + " --from 2027-11-21T12:00:00Z --to 2027-12-31 --json"));

    assertThat(rows)
        .extracting(SimulateTest::line)
        .containsExactly(
            // The hypothetical license starts at --from, inside D-1: the catch-up notice.
            "2027-11-21T12:00:00Z EXPIRING D-1 DANGER NOT_DISMISSIBLE FULL D-1",
            "2027-11-22T00:00:00Z LOCKED LOCK LOCK NOT_DISMISSIBLE LOCKED LOCK");
  }

  @Test
  void the_grace_mode_can_be_chosen_for_a_preset() throws Exception {
    List<JsonNode> rows =
        rows(
            simulate(
                "--expires-at 2027-11-22 --preset subscription --grace-mode full"
                    + " --from 2027-11-21 --to 2027-11-23 --json"));

    assertThat(rows)
        .extracting(SimulateTest::line)
        .containsExactly(
            "2027-11-21T00:00:00Z EXPIRING D-1 DANGER NOT_DISMISSIBLE FULL D-1",
            "2027-11-22T00:00:00Z GRACE EXPIRY DANGER NOT_DISMISSIBLE FULL EXPIRY");
  }

  @Test
  void without_a_license_the_preview_starts_at_from_so_it_must_precede_the_expiry() {
    Keyturn.Result r = simulate("--expires-at 2027-11-22 --from 2027-11-22 --to 2027-12-01");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("the previewed license starts at --from");
  }

  @Test
  void an_end_before_the_start_is_a_usage_error() {
    Keyturn.Result r = simulate("--expires-at 2027-11-22 --from 2027-12-01 --to 2027-11-01");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--to (2027-11-01T00:00:00Z) must be after --from");
  }

  @Test
  void a_license_and_an_expiry_together_are_a_usage_error() {
    Keyturn.Result r =
        simulate(
            "--license x.license.toml --expires-at 2027-11-22 --from 2027-01-01 --to 2027-12-01");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("mutually exclusive");
  }

  @Test
  void a_preset_without_an_expiry_is_a_usage_error() {
    Keyturn.Result r = simulate("--preset subscription --from 2027-01-01 --to 2027-12-01");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--expires-at");
  }

  @Test
  void an_unknown_time_zone_is_a_usage_error() {
    Keyturn.Result r =
        simulate("--expires-at 2027-11-22 --from 2027-01-01 --to 2027-12-01 --zone Mars/Olympus");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("'Mars/Olympus' is not a time zone");
  }

  @Test
  void a_missing_license_file_is_named() {
    Keyturn.Result r =
        simulate(
            "--license " + dir.resolve("none.license.toml") + " --from 2027-01-01 --to 2027-12-01");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("keyturn: no such file: " + dir.resolve("none.license.toml"));
  }
}
