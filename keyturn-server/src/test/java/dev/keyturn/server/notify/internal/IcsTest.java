package dev.keyturn.server.notify.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IcsTest {
  private static final Instant STAMP = Instant.parse("2026-01-02T03:04:05Z");

  @Test
  void writes_utc_times_with_crlf_line_ends() {
    String ics =
        Ics.calendar(
            STAMP,
            List.of(
                new Ics.Event(
                    "lic-1@keyturn", Instant.parse("2026-03-01T12:00:00Z"), "Expires", "x")));

    assertThat(ics).startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n").endsWith("END:VCALENDAR\r\n");
    assertThat(ics)
        .contains("\r\nDTSTART:20260301T120000Z\r\n")
        .contains("\r\nDTSTAMP:20260102T030405Z\r\n");
    assertThat(ics.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
  }

  @Test
  void escapes_commas_semicolons_backslashes_and_newlines_in_text() {
    assertThat(Ics.escape("a,b;c\\d\ne")).isEqualTo("a\\,b\\;c\\\\d\\ne");
  }

  @Test
  void folds_long_lines_at_75_octets_without_splitting_a_character() {
    String summary = "é".repeat(100);
    String ics = Ics.calendar(STAMP, List.of(new Ics.Event("u", STAMP, summary, "d")));

    for (String line : ics.split("\r\n")) {
      assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(75);
    }
    String unfolded = ics.replace("\r\n ", "");
    assertThat(unfolded).contains("SUMMARY:" + summary + "\r\n");
  }

  @Test
  void writes_each_instant_as_the_formatter_does() {
    java.time.format.DateTimeFormatter formatter =
        java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(java.time.ZoneOffset.UTC);
    for (String at :
        List.of(
            "2026-01-01T00:00:00Z",
            "2026-12-31T23:59:59.999Z",
            "2028-02-29T12:05:09Z",
            "1970-01-01T00:00:00Z",
            "1000-01-01T00:00:00Z",
            "0999-12-31T23:59:59Z",
            "9999-12-31T23:59:59Z")) {
      Instant instant = Instant.parse(at);
      assertThat(Ics.utc(instant)).as(at).isEqualTo(formatter.format(instant));
    }
  }
}
