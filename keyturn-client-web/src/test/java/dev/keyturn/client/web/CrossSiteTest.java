package dev.keyturn.client.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.lifecycle.Mode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrossSiteTest {
  @TempDir Path dir;

  private Harness locked(WebSettings settings) {
    Harness h = Harness.withLicense(dir, Fixtures.acme().build(), settings);
    return h.at(Fixtures.EXPIRES.plus(Duration.ofDays(61)));
  }

  private TestRequest install(Harness h) {
    return TestRequest.post("/license/install")
        .body("text/plain", h.keys.sign(Fixtures.renewal().build()));
  }

  @Test
  void an_install_posted_from_another_site_is_refused_and_changes_nothing() {
    try (Harness h = locked(WebSettings.defaults())) {
      WebResponse r = h.answer(install(h).header("Origin", "https://evil.example"));

      assertThat(r.status()).isEqualTo(403);
      assertThat(Harness.json(r).get("code").asText()).isEqualTo("CROSS_SITE_REQUEST");
      assertThat(Harness.json(r).get("detail").asText()).contains("https://evil.example");
      assertThat(h.licenses.mode()).isEqualTo(Mode.LOCKED);
    }
  }

  @Test
  void a_dismissal_posted_from_another_site_is_refused() {
    try (Harness h = Harness.withAcme(dir).at(Fixtures.daysBefore(30))) {
      WebResponse r =
          h.answer(
              TestRequest.post("/license/banner/dismiss")
                  .header("Origin", "http://evil.example:8080"));

      assertThat(r.status()).isEqualTo(403);
      assertThat(h.standing().get("banner").get("display").asText()).isEqualTo("SHOWN");
    }
  }

  @Test
  void the_same_host_on_another_port_is_another_site() {
    try (Harness h = locked(WebSettings.defaults())) {
      WebResponse r = h.answer(install(h).header("Origin", "http://notes.acme.example:9090"));

      assertThat(r.status()).isEqualTo(403);
    }
  }

  @Test
  void an_opaque_origin_is_refused() {
    try (Harness h = locked(WebSettings.defaults())) {
      WebResponse r = h.answer(install(h).header("Origin", "null"));

      assertThat(r.status()).isEqualTo(403);
    }
  }

  @Test
  void a_request_that_says_nothing_of_where_it_comes_from_is_refused() {
    try (Harness h = locked(WebSettings.defaults())) {
      WebResponse r = h.answer(install(h).withoutHeader("Origin"));

      assertThat(r.status()).isEqualTo(403);
      assertThat(Harness.json(r).get("detail").asText()).contains("Origin");
      assertThat(h.licenses.mode()).isEqualTo(Mode.LOCKED);
    }
  }

  @Test
  void a_same_site_referer_is_enough_without_origin() {
    try (Harness h = locked(WebSettings.defaults())) {
      WebResponse r =
          h.answer(
              install(h).withoutHeader("Origin").header("Referer", TestRequest.ORIGIN + "/notes"));

      assertThat(r.status()).isEqualTo(200);
    }
  }

  @Test
  void a_default_port_in_the_host_header_matches_an_origin_without_one() {
    try (Harness h = locked(WebSettings.defaults())) {
      WebResponse r =
          h.answer(
              install(h)
                  .header("Host", "notes.acme.example:443")
                  .header("Origin", "https://notes.acme.example"));

      assertThat(r.status()).isEqualTo(200);
    }
  }

  @Test
  void an_allowed_origin_passes_behind_a_proxy_that_rewrites_the_host() {
    WebSettings settings =
        WebSettings.builder().allowedOrigin("https://notes.acme.example").build();
    try (Harness h = locked(settings)) {
      WebResponse r =
          h.answer(
              install(h)
                  .header("Host", "10.0.0.5:8080")
                  .header("Origin", "https://notes.acme.example"));

      assertThat(r.status()).isEqualTo(200);
    }
  }

  @Test
  void a_browser_form_gets_the_refusal_as_a_page() {
    try (Harness h = locked(WebSettings.defaults())) {
      WebResponse r =
          h.answer(
              TestRequest.formPost("/license/install")
                  .header("Origin", "https://evil.example")
                  .body("text/plain", "x"));

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.bodyText()).contains("Cross-site request refused");
    }
  }
}
