package dev.keyturn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DESIGN §4 tables, as the vendor previews them from the command line. */
class SimulateTest {
  private final Keyturn keyturn = new Keyturn();
  @TempDir Path dir;

  private static List<JsonNode> rows(Keyturn.Result r) throws Exception {
    assertThat(r.exitCode()).as(r.err()).isZero();
    List<JsonNode> rows = new ArrayList<>();
    new ObjectMapper().readTree(r.out()).forEach(rows::add);
    return rows;
  }

  private static String text(JsonNode n) {
    return n.isNull() ? null : n.asText();
  }

  @Test
  void appliance_preset_follows_the_design_table() throws Exception {
    List<JsonNode> rows =
        rows(
            keyturn.run(
                "simulate",
                "--expires-at",
                "2027-11-22T00:00:00Z",
                "--preset",
                "appliance",
                "--from",
                "2027-01-01",
                "--to",
                "2028-12-31",
                "--json"));

    assertThat(rows)
        .extracting(
            r -> r.get("at").asText(),
            r -> r.get("phase").asText(),
            r -> text(r.get("stage")),
            r -> r.get("banner_level").asText(),
            r -> r.get("dismissal").asText(),
            r -> r.get("mode").asText(),
            r -> text(r.get("notice")))
        .containsExactly(
            tuple("2027-01-01T00:00:00Z", "ACTIVE", null, "NONE", "NONE", "FULL", null),
            tuple(
                "2027-10-23T00:00:00Z",
                "EXPIRING",
                "D-30",
                "INFO",
                "UNTIL_NEXT_STAGE",
                "FULL",
                "D-30"),
            tuple("2027-11-07T00:00:00Z", "EXPIRING", "D-15", "WARNING", "FOR_24H", "FULL", "D-15"),
            tuple("2027-11-15T00:00:00Z", "EXPIRING", "D-7", "WARNING", "TO_PILL", "FULL", "D-7"),
            tuple(
                "2027-11-21T00:00:00Z",
                "EXPIRING",
                "D-1",
                "DANGER",
                "NOT_DISMISSIBLE",
                "FULL",
                "D-1"),
            tuple(
                "2027-11-22T00:00:00Z",
                "GRACE",
                "EXPIRY",
                "DANGER",
                "NOT_DISMISSIBLE",
                "FULL",
                "EXPIRY"),
            tuple(
                "2028-01-21T00:00:00Z",
                "LOCKED",
                "LOCK",
                "LOCK",
                "NOT_DISMISSIBLE",
                "LOCKED",
                "LOCK"));
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
            keyturn.run(
                "simulate",
                "--expires-at",
                "2027-11-22",
                "--preset",
                "subscription",
                "--from",
                "2027-01-01",
                "--to",
                "2028-12-31",
                "--json"));

    assertThat(rows)
        .extracting(
            r -> r.get("at").asText(),
            r -> r.get("phase").asText(),
            r -> text(r.get("stage")),
            r -> r.get("banner_level").asText(),
            r -> r.get("dismissal").asText(),
            r -> r.get("mode").asText(),
            r -> text(r.get("notice")))
        .containsExactly(
            tuple("2027-01-01T00:00:00Z", "ACTIVE", null, "NONE", "NONE", "FULL", null),
            tuple(
                "2027-10-23T00:00:00Z",
                "EXPIRING",
                "D-30",
                "INFO",
                "UNTIL_NEXT_STAGE",
                "FULL",
                "D-30"),
            tuple("2027-11-15T00:00:00Z", "EXPIRING", "D-7", "WARNING", "TO_PILL", "FULL", "D-7"),
            tuple(
                "2027-11-21T00:00:00Z",
                "EXPIRING",
                "D-1",
                "DANGER",
                "NOT_DISMISSIBLE",
                "FULL",
                "D-1"),
            tuple(
                "2027-11-22T00:00:00Z",
                "GRACE",
                "EXPIRY",
                "DANGER",
                "NOT_DISMISSIBLE",
                "READ_ONLY",
                "EXPIRY"),
            tuple(
                "2027-11-29T00:00:00Z",
                "LOCKED",
                "LOCK",
                "LOCK",
                "NOT_DISMISSIBLE",
                "LOCKED",
                "LOCK"));
    assertThat(rows.get(5).get("banner_text").asText()).contains("suspended");
  }

  @Test
  void human_output_is_an_aligned_table_in_the_viewers_zone() {
    Keyturn.Result r =
        keyturn.run(
            "simulate",
            "--expires-at",
            "2027-11-22",
            "--from",
            "2027-11-01",
            "--to",
            "2027-11-30",
            "--zone",
            "America/Sao_Paulo");

    assertThat(r.exitCode()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).contains("expiring 2027-11-21T21:00:00-03:00");
    assertThat(lines.get(1))
        .contains("60 days of full grace")
        .contains("times in America/Sao_Paulo");
    int header =
        lines.indexOf(lines.stream().filter(l -> l.startsWith("WHEN")).findFirst().orElseThrow());
    List<String> table = lines.subList(header, lines.size());
    assertThat(table).hasSize(1 + 5); // the header, --from and D-15, D-7, D-1, EXPIRY
    int phaseColumn = table.get(0).indexOf("PHASE");
    int noticeColumn = table.get(0).indexOf("NOTICE");
    assertThat(table.subList(1, table.size()))
        .allSatisfy(l -> assertThat(l.charAt(phaseColumn - 1)).isEqualTo(' '))
        .allSatisfy(l -> assertThat(Character.isLetter(l.charAt(phaseColumn))).isTrue())
        .allSatisfy(l -> assertThat(l.charAt(noticeColumn)).isIn('-', 'D', 'E'));
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
        rows(
            keyturn.run(
                "simulate",
                "--license",
                license.toString(),
                "--from",
                "2026-11-01",
                "--to",
                "2028-01-01",
                "--json"));

    assertThat(rows)
        .extracting(
            r -> r.get("at").asText(), r -> r.get("phase").asText(), r -> text(r.get("notice")))
        .containsExactly(
            tuple("2026-11-01T00:00:00Z", "NOT_YET_VALID", null),
            tuple("2026-11-22T00:00:00Z", "ACTIVE", null),
            tuple("2027-10-23T00:00:00Z", "EXPIRING", "D-30"),
            tuple("2027-11-15T00:00:00Z", "EXPIRING", "D-7"),
            tuple("2027-11-21T00:00:00Z", "EXPIRING", "D-1"),
            tuple("2027-11-22T00:00:00Z", "GRACE", "EXPIRY"),
            tuple("2027-12-02T00:00:00Z", "LOCKED", "LOCK"));
  }

  @Test
  void a_short_license_sends_the_catch_up_notice_when_it_starts() throws Exception {
    List<JsonNode> rows =
        rows(
            keyturn.run(
                "simulate",
                "--expires-at",
                "2027-11-22",
                "--from",
                "2027-11-12",
                "--to",
                "2027-11-16",
                "--json"));

    assertThat(rows)
        .extracting(r -> text(r.get("stage")), r -> text(r.get("notice")))
        .containsExactly(tuple("D-15", "D-15"), tuple("D-7", "D-7"));
  }

  @Test
  void custom_grace_replaces_the_presets() throws Exception {
    List<JsonNode> rows =
        rows(
            keyturn.run(
                "simulate",
                "--expires-at",
                "2027-11-22",
                "--grace-days",
                "0",
                "--from",
                "2027-11-21T12:00:00Z",
                "--to",
                "2027-12-31",
                "--json"));

    assertThat(rows)
        .extracting(
            r -> r.get("at").asText(), r -> text(r.get("stage")), r -> text(r.get("notice")))
        .containsExactly(
            // The hypothetical license starts at --from, inside D-1: the catch-up notice.
            tuple("2027-11-21T12:00:00Z", "D-1", "D-1"),
            // No grace: expiry and lock coincide, and only the more urgent notice goes out.
            tuple("2027-11-22T00:00:00Z", "LOCK", "LOCK"));
  }

  @Test
  void usage_errors_exit_2_with_a_reason() {
    assertThat(
            keyturn.run(
                "simulate",
                "--expires-at",
                "2027-11-22",
                "--from",
                "2027-12-01",
                "--to",
                "2027-11-01"))
        .satisfies(r -> assertThat(r.exitCode()).isEqualTo(2))
        .satisfies(
            r -> assertThat(r.err()).contains("--to (2027-11-01T00:00:00Z) must be after --from"));
    assertThat(
            keyturn.run(
                "simulate",
                "--license",
                "x.license.toml",
                "--expires-at",
                "2027-11-22",
                "--from",
                "2027-01-01",
                "--to",
                "2027-12-01"))
        .satisfies(r -> assertThat(r.exitCode()).isEqualTo(2))
        .satisfies(r -> assertThat(r.err()).contains("mutually exclusive"));
    assertThat(
            keyturn.run(
                "simulate",
                "--preset",
                "subscription",
                "--from",
                "2027-01-01",
                "--to",
                "2027-12-01"))
        .satisfies(r -> assertThat(r.exitCode()).isEqualTo(2))
        .satisfies(r -> assertThat(r.err()).contains("--expires-at"));
    assertThat(
            keyturn.run(
                "simulate",
                "--expires-at",
                "2027-11-22",
                "--from",
                "2027-01-01",
                "--to",
                "2027-12-01",
                "--zone",
                "Mars/Olympus"))
        .satisfies(r -> assertThat(r.exitCode()).isEqualTo(2))
        .satisfies(r -> assertThat(r.err()).contains("'Mars/Olympus' is not a time zone"));
  }

  @Test
  void an_unreadable_license_file_fails_with_its_code() {
    Keyturn.Result r =
        keyturn.run(
            "simulate",
            "--license",
            dir.resolve("none.license.toml").toString(),
            "--from",
            "2027-01-01",
            "--to",
            "2027-12-01");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("keyturn: no such file");
  }
}
