package dev.keyturn.client.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DismissRouteTest {
  @TempDir Path dir;

  private JsonNode dismiss(Harness h) {
    return h.json(TestRequest.post("/license/banner/dismiss"));
  }

  @Test
  void d30_is_hidden_until_the_next_stage() {
    try (Harness h = Harness.withAcme(dir).at(Fixtures.daysBefore(30))) {
      JsonNode answer = dismiss(h);

      assertThat(answer.get("outcome").asText()).isEqualTo("HIDDEN");
      assertThat(answer.get("banner").get("display").asText()).isEqualTo("HIDDEN");
      assertThat(h.standing().get("banner").get("display").asText()).isEqualTo("HIDDEN");
      h.at(Fixtures.daysBefore(15));
      assertThat(h.standing().get("banner").get("display").asText()).isEqualTo("SHOWN");
    }
  }

  @Test
  void d15_comes_back_after_24_hours() {
    try (Harness h = Harness.withAcme(dir).at(Fixtures.daysBefore(15))) {
      dismiss(h);
      h.at(h.clock.instant().plus(Duration.ofHours(23)));
      assertThat(h.standing().get("banner").get("display").asText()).isEqualTo("HIDDEN");
      h.at(h.clock.instant().plus(Duration.ofHours(1)));

      assertThat(h.standing().get("banner").get("display").asText()).isEqualTo("SHOWN");
    }
  }

  @Test
  void d7_collapses_into_the_pill() {
    try (Harness h = Harness.withAcme(dir).at(Fixtures.daysBefore(7))) {
      JsonNode answer = dismiss(h);

      assertThat(answer.get("outcome").asText()).isEqualTo("COLLAPSED_TO_PILL");
      assertThat(answer.get("banner").get("display").asText()).isEqualTo("PILL");
      assertThat(answer.get("banner").get("pill_text").asText()).isEqualTo("Expires in 7 days");
    }
  }

  @Test
  void d1_cannot_be_dismissed() {
    try (Harness h = Harness.withAcme(dir).at(Fixtures.daysBefore(1))) {
      JsonNode answer = dismiss(h);

      assertThat(answer.get("outcome").asText()).isEqualTo("NOT_DISMISSIBLE");
      assertThat(answer.get("banner").get("display").asText()).isEqualTo("SHOWN");
      assertThat(answer.get("banner").get("level").asText()).isEqualTo("DANGER");
      assertThat(answer.get("banner").get("dismissible").asBoolean()).isFalse();
    }
  }

  @Test
  void a_form_without_javascript_goes_back_where_it_came_from() {
    try (Harness h = Harness.withAcme(dir).at(Fixtures.daysBefore(30))) {
      WebResponse r =
          h.answer(
              TestRequest.formPost("/license/banner/dismiss")
                  .header("Referer", TestRequest.ORIGIN + "/notes"));

      assertThat(r.status()).isEqualTo(303);
      assertThat(r.headers()).containsEntry("Location", "/notes");
    }
  }
}
