package dev.keyturn.example.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.client.SettableClock;
import dev.keyturn.client.StandingFlag;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo license allows 10 notes with a 20 % overage allowance: notes 11 and 12 bring a warning
 * banner, note 13 is refused, and every note stays readable.
 */
class NotesUsageTest {
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @TempDir Path dir;

  @Test
  void notes_above_the_allowance_are_refused_and_nothing_locks() throws Exception {
    SettableClock clock = new SettableClock(Instant.parse("2027-01-10T09:00:00Z"));
    Demo demo = Demo.create(clock, dir.resolve("keys"), "appliance");
    try (ApplianceApp app =
        ApplianceApp.start(
            new ApplianceApp.Config(
                dir.resolve("data"),
                "127.0.0.1",
                0,
                clock,
                demo.trustedKeys(),
                b -> b,
                b -> b.background(false).zone(ZoneId.of("America/Sao_Paulo")),
                Optional.<Demo>of(demo)))) {
      for (int i = 1; i <= 10; i++) {
        assertThat(post(app, "note " + i).statusCode()).isEqualTo(303);
      }
      assertThat(app.licenses().standing().flags()).isEmpty();

      assertThat(post(app, "note 11").statusCode()).isEqualTo(303);
      assertThat(app.licenses().standing().flags()).containsExactly(StandingFlag.USAGE_OVER_LIMIT);
      assertThat(app.licenses().standing().banner().text())
          .startsWith(
              "notes: 11 in use, above the licensed 10; the 20% overage allowance permits"
                  + " up to 12.");
      assertThat(post(app, "note 12").statusCode()).isEqualTo(303);

      HttpResponse<String> refused = post(app, "note 13");
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(refused.body())
          .contains(
              "Adding 1 to notes would bring it to 13, above the licensed 10 and its 20% overage"
                  + " allowance (12).");
      assertThat(app.notes().count()).isEqualTo(12);
      HttpResponse<String> home =
          http.send(
              HttpRequest.newBuilder(app.url()).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(home.statusCode()).isEqualTo(200);
      assertThat(home.body()).contains("12 notes");
    }
  }

  private HttpResponse<String> post(ApplianceApp app, String text) throws Exception {
    return http.send(
        HttpRequest.newBuilder(app.url().resolve("/notes"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "text=" + URLEncoder.encode(text, StandardCharsets.UTF_8)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
