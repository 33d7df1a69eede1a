package dev.keyturn.client.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyturn.core.lifecycle.Mode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallRouteTest {
  static final String BOUNDARY = "----ktBoundary7MA4YWxkTrZu0gW";

  @TempDir Path dir;

  /** Locked: Acme's license, 61 days past expiry. */
  private Harness locked() {
    Harness h = Harness.withAcme(dir).at(Fixtures.EXPIRES.plus(Duration.ofDays(61)));
    assertThat(h.licenses.mode()).isEqualTo(Mode.LOCKED);
    return h;
  }

  static String multipart(String pasted, String fileName, String fileText, String returnTo) {
    StringBuilder b = new StringBuilder();
    if (returnTo != null) {
      b.append("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"return_to\"\r\n\r\n")
          .append(returnTo)
          .append("\r\n");
    }
    b.append("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"license\"\r\n\r\n")
        .append(pasted)
        .append("\r\n");
    b.append("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
        .append(fileName)
        .append("\"\r\nContent-Type: application/octet-stream\r\n\r\n")
        .append(fileText)
        .append("\r\n--" + BOUNDARY + "--\r\n");
    return b.toString();
  }

  static String multipartType() {
    return "multipart/form-data; boundary=" + BOUNDARY;
  }

  @Test
  void a_pasted_renewal_unlocks_at_once() {
    try (Harness h = locked()) {
      String renewal = h.keys.sign(Fixtures.renewal().build());
      WebResponse r =
          h.answer(
              TestRequest.post("/license/install")
                  .body(
                      "application/x-www-form-urlencoded",
                      "license=" + URLEncoder.encode(renewal, StandardCharsets.UTF_8)));
      JsonNode body = Harness.json(r);

      assertThat(r.status()).isEqualTo(200);
      assertThat(body.get("code").asText()).isEqualTo("VALID");
      assertThat(body.get("installed").asBoolean()).isTrue();
      assertThat(body.get("in_force").asBoolean()).isTrue();
      assertThat(body.get("mode").asText()).isEqualTo("FULL");
      assertThat(body.get("license_id").asText()).isEqualTo("lic_01JD4ACME");
      assertThat(h.licenses.mode()).isEqualTo(Mode.FULL);
      assertThat(h.handle(TestRequest.page("/notes"))).isEmpty();
    }
  }

  @Test
  void an_uploaded_file_wins_over_an_empty_paste_box() {
    try (Harness h = locked()) {
      String renewal = h.keys.sign(Fixtures.renewal().build());
      WebResponse r =
          h.answer(
              TestRequest.post("/license/install")
                  .body(multipartType(), multipart("", "acme.license.toml", renewal, null)));

      assertThat(r.status()).isEqualTo(200);
      assertThat(h.licenses.mode()).isEqualTo(Mode.FULL);
    }
  }

  @Test
  void the_paste_box_counts_when_no_file_was_chosen() {
    try (Harness h = locked()) {
      String renewal = h.keys.sign(Fixtures.renewal().build());
      WebResponse r =
          h.answer(
              TestRequest.post("/license/install")
                  .body(multipartType(), multipart(renewal, "", "", null)));

      assertThat(r.status()).isEqualTo(200);
      assertThat(h.licenses.mode()).isEqualTo(Mode.FULL);
    }
  }

  @Test
  void the_raw_file_as_body_and_json_both_install() {
    try (Harness h = locked()) {
      String renewal = h.keys.sign(Fixtures.renewal().build());
      WebResponse raw =
          h.answer(TestRequest.post("/license/install").body("application/toml", renewal));
      WebResponse again =
          h.answer(
              TestRequest.post("/license/install")
                  .body(
                      "application/json",
                      "{\"license\":" + new ObjectMapper().valueToTree(renewal) + "}"));

      assertThat(raw.status()).isEqualTo(200);
      assertThat(again.status()).isEqualTo(200);
      assertThat(Harness.json(again).get("code").asText()).isEqualTo("VALID");
    }
  }

  @Test
  void a_tampered_license_answers_signature_mismatch_and_stays_locked() {
    try (Harness h = locked()) {
      String tampered = Fixtures.tamper(h.keys.sign(Fixtures.renewal().build()));
      WebResponse r = h.answer(TestRequest.post("/license/install").body("text/plain", tampered));
      JsonNode problem = Harness.json(r);

      assertThat(r.status()).isEqualTo(422);
      assertThat(r.contentType()).isEqualTo("application/problem+json");
      assertThat(problem.get("code").asText()).isEqualTo("SIGNATURE_MISMATCH");
      assertThat(problem.get("installed").asBoolean()).isFalse();
      assertThat(problem.get("detail").asText()).isNotBlank();
      assertThat(h.licenses.mode()).isEqualTo(Mode.LOCKED);
      assertThat(h.answer(TestRequest.page("/notes")).status()).isEqualTo(423);
    }
  }

  @Test
  void an_expired_license_answers_expired() {
    try (Harness h = locked()) {
      String old = h.keys.sign(Fixtures.acme().build());
      JsonNode problem = h.json(TestRequest.post("/license/install").body("text/plain", old));

      assertThat(problem.get("code").asText()).isEqualTo("EXPIRED");
    }
  }

  @Test
  void a_downgrade_below_usage_lists_each_limit() {
    try (Harness h =
        new Harness(
            dir,
            Fixtures.MID_YEAR,
            WebSettings.defaults(),
            b -> b.usage(() -> Map.of("users", 200L)))) {
      h.licenses.install(h.keys.sign(Fixtures.acme().build()));
      h.at(Fixtures.daysBefore(10));
      String smaller = h.keys.sign(Fixtures.renewal().limit("users", 100).build());
      JsonNode problem = h.json(TestRequest.post("/license/install").body("text/plain", smaller));

      assertThat(problem.get("code").asText()).isEqualTo("USAGE_EXCEEDS_LIMITS");
      assertThat(problem.get("excesses").get(0).get("limit").asText()).isEqualTo("users");
      assertThat(problem.get("excesses").get(0).get("usage").asLong()).isEqualTo(200);
      assertThat(problem.get("excesses").get(0).get("new_value").asLong()).isEqualTo(100);
    }
  }

  @Test
  void nothing_pasted_is_malformed_with_a_plain_explanation() {
    try (Harness h = locked()) {
      JsonNode problem =
          h.json(
              TestRequest.post("/license/install")
                  .body(multipartType(), multipart("  ", "", "", null)));

      assertThat(problem.get("code").asText()).isEqualTo("MALFORMED");
      assertThat(problem.get("detail").asText()).startsWith("Nothing was pasted or uploaded");
    }
  }

  @Test
  void a_body_over_the_limit_is_refused_before_it_is_read_into_a_license() {
    try (Harness h = locked()) {
      WebResponse r =
          h.answer(
              TestRequest.post("/license/install")
                  .body("text/plain", new byte[InstallRoute.MAX_BODY_BYTES + 1]));

      assertThat(r.status()).isEqualTo(413);
      assertThat(Harness.json(r).get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
    }
  }

  @Test
  void a_broken_multipart_body_is_a_bad_request() {
    try (Harness h = locked()) {
      WebResponse r =
          h.answer(TestRequest.post("/license/install").body(multipartType(), "no parts here"));

      assertThat(r.status()).isEqualTo(400);
    }
  }

  @Test
  void the_lock_pages_form_goes_back_to_the_product_after_installing() {
    try (Harness h = locked()) {
      String renewal = h.keys.sign(Fixtures.renewal().build());
      WebResponse r =
          h.answer(
              TestRequest.formPost("/license/install")
                  .body(multipartType(), multipart(renewal, "", "", "/notes?page=2")));

      assertThat(r.status()).isEqualTo(303);
      assertThat(r.headers()).containsEntry("Location", "/notes?page=2");
    }
  }

  @Test
  void the_form_never_sends_the_browser_to_another_site() {
    try (Harness h = locked()) {
      String renewal = h.keys.sign(Fixtures.renewal().build());
      WebResponse r =
          h.answer(
              TestRequest.formPost("/license/install")
                  .contextPath("/notes-app")
                  .body(multipartType(), multipart(renewal, "", "", "//evil.example/phish")));

      assertThat(r.headers()).containsEntry("Location", "/notes-app/");
    }
  }

  @Test
  void a_rejected_form_shows_the_lock_page_again_with_the_code() {
    try (Harness h = locked()) {
      String tampered = Fixtures.tamper(h.keys.sign(Fixtures.renewal().build()));
      WebResponse r =
          h.answer(
              TestRequest.formPost("/license/install")
                  .body(multipartType(), multipart(tampered, "", "", "/notes")));

      assertThat(r.status()).isEqualTo(422);
      assertThat(r.contentType()).startsWith("text/html");
      assertThat(r.bodyText())
          .contains("data-keyturn-page=\"lock\"")
          .contains("SIGNATURE_MISMATCH")
          .contains("role=\"alert\"");
    }
  }

  @Test
  void installing_from_the_license_page_shows_the_new_standing() {
    try (Harness h = Harness.withAcme(dir).at(Fixtures.daysBefore(10))) {
      String renewal = h.keys.sign(Fixtures.renewal().build());
      WebResponse r =
          h.answer(
              TestRequest.formPost("/license/install")
                  .body(multipartType(), multipart(renewal, "", "", null)));

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.bodyText()).contains("VALID").contains("Active");
    }
  }
}
