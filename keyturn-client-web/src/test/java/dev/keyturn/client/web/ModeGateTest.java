package dev.keyturn.client.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyturn.core.lifecycle.Mode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModeGateTest {
  @TempDir Path dir;

  static final WebSettings SETTINGS =
      WebSettings.builder().productName("Acme Notes").exemptPath("/health").build();

  /** Subscription preset, 2 days into its 7-day read-only grace. */
  private Harness readOnly() {
    Harness h =
        Harness.withLicense(dir, Fixtures.subscription().build(), SETTINGS)
            .at(Fixtures.EXPIRES.plus(Duration.ofDays(2)));
    assertThat(h.licenses.mode()).isEqualTo(Mode.READ_ONLY);
    return h;
  }

  private Harness locked() {
    Harness h =
        Harness.withLicense(dir, Fixtures.acme().build(), SETTINGS)
            .at(Fixtures.EXPIRES.plus(Duration.ofDays(61)));
    assertThat(h.licenses.mode()).isEqualTo(Mode.LOCKED);
    return h;
  }

  @Test
  void in_full_mode_every_product_request_goes_to_the_product() {
    try (Harness h = Harness.withLicense(dir, Fixtures.acme().build(), SETTINGS)) {
      assertThat(h.handle(TestRequest.page("/"))).isEmpty();
      assertThat(h.handle(TestRequest.formPost("/notes"))).isEmpty();
      assertThat(h.handle(TestRequest.api("DELETE", "/api/notes/1"))).isEmpty();
    }
  }

  @Test
  void in_read_only_grace_reads_go_to_the_product() {
    try (Harness h = readOnly()) {
      assertThat(h.handle(TestRequest.page("/"))).isEmpty();
      assertThat(h.handle(TestRequest.api("GET", "/api/notes"))).isEmpty();
      assertThat(h.handle(TestRequest.api("HEAD", "/api/notes"))).isEmpty();
      assertThat(h.handle(TestRequest.api("OPTIONS", "/api/notes"))).isEmpty();
    }
  }

  @Test
  void in_read_only_grace_a_form_post_gets_a_page_that_explains_why() {
    try (Harness h = readOnly()) {
      WebResponse r =
          h.answer(TestRequest.formPost("/notes").header("Referer", TestRequest.ORIGIN + "/?q=1"));

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.contentType()).startsWith("text/html");
      assertThat(r.bodyText())
          .contains("Acme Notes is read-only")
          .contains("The product is read-only: 5 days remaining before suspension")
          .contains("Your change was not saved")
          .contains("href=\"/?q=1\"");
    }
  }

  @Test
  void in_read_only_grace_every_change_from_a_script_gets_a_problem() {
    try (Harness h = readOnly()) {
      for (String method : new String[] {"POST", "PUT", "PATCH", "DELETE"}) {
        WebResponse r = h.answer(TestRequest.api(method, "/api/notes/1"));
        JsonNode problem = Harness.json(r);

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.contentType()).isEqualTo("application/problem+json");
        assertThat(problem.get("code").asText()).isEqualTo("READ_ONLY");
        assertThat(problem.get("detail").asText())
            .contains("read-only")
            .contains("This change was not saved");
      }
    }
  }

  @Test
  void in_read_only_grace_the_license_routes_keep_working() {
    try (Harness h = readOnly()) {
      String renewal =
          h.keys.sign(
              Fixtures.subscription()
                  .id("lic_02SUBS")
                  .expiresAt(Fixtures.EXPIRES.plus(Duration.ofDays(30)))
                  .build());
      WebResponse r = h.answer(TestRequest.post("/license/install").body("text/plain", renewal));

      assertThat(r.status()).isEqualTo(200);
      assertThat(h.licenses.mode()).isEqualTo(Mode.FULL);
      assertThat(h.handle(TestRequest.formPost("/notes"))).isEmpty();
    }
  }

  @Test
  void locked_every_page_is_the_lock_screen_with_a_paste_box_and_an_upload() {
    try (Harness h = locked()) {
      WebResponse r = h.answer(TestRequest.page("/notes"));

      assertThat(r.status()).isEqualTo(423);
      assertThat(r.headers()).containsEntry("Cache-Control", "no-store");
      assertThat(r.bodyText())
          .contains("Acme Notes is locked")
          .contains("<textarea id=\"kt-license\" name=\"license\"")
          .contains("type=\"file\" name=\"file\"")
          .contains("name=\"return_to\" value=\"/notes\"")
          .contains("Your data is safe")
          .contains("the grace period has ended")
          .contains("<script src=\"/license/banner.js\" defer></script>");
    }
  }

  @Test
  void locked_a_script_gets_a_problem_naming_the_install_route() {
    try (Harness h = locked()) {
      WebResponse r = h.answer(TestRequest.api("POST", "/api/notes"));

      assertThat(r.status()).isEqualTo(423);
      assertThat(Harness.json(r).get("code").asText()).isEqualTo("LOCKED");
      assertThat(Harness.json(r).get("detail").asText()).contains("/license/install");
    }
  }

  @Test
  void locked_the_license_routes_and_exempt_paths_keep_working() {
    try (Harness h = locked()) {
      assertThat(h.answer(TestRequest.api("GET", "/license/standing")).status()).isEqualTo(200);
      assertThat(h.answer(TestRequest.api("GET", "/license/banner.js")).status()).isEqualTo(200);
      assertThat(h.answer(TestRequest.page("/license/")).status()).isEqualTo(200);
      assertThat(h.handle(TestRequest.api("GET", "/health"))).isEmpty();
      assertThat(h.handle(TestRequest.api("GET", "/health/db"))).isEmpty();
      assertThat(h.answer(TestRequest.api("GET", "/healthz")).status()).isEqualTo(423);
    }
  }

  @Test
  void locked_the_static_files_a_page_needs_are_never_gated() {
    try (Harness h = locked()) {
      assertThat(h.handle(TestRequest.api("GET", "/app.css"))).isEmpty();
      assertThat(h.handle(TestRequest.api("HEAD", "/static/js/app.min.js"))).isEmpty();
      assertThat(h.handle(TestRequest.api("GET", "/img/Logo.SVG"))).isEmpty();
      assertThat(h.handle(TestRequest.api("GET", "/fonts/inter.woff2"))).isEmpty();
      // Only reads of static files: a change, a page or data still meets the lock.
      assertThat(h.answer(TestRequest.api("POST", "/app.css")).status()).isEqualTo(423);
      assertThat(h.answer(TestRequest.api("GET", "/api/notes")).status()).isEqualTo(423);
      assertThat(h.answer(TestRequest.api("GET", "/export.csv")).status()).isEqualTo(423);
      assertThat(h.answer(TestRequest.api("GET", "/.css")).status()).isEqualTo(423);
    }
  }

  @Test
  void links_in_the_lock_page_carry_the_context_path() {
    try (Harness h = locked()) {
      String html = h.answer(TestRequest.page("/notes").contextPath("/app")).bodyText();

      assertThat(html)
          .contains("href=\"/app/license/banner.css\"")
          .contains("action=\"/app/license/install\"")
          .contains("value=\"/app/notes\"");
    }
  }

  @Test
  void a_valid_license_unlocks_the_next_request_without_a_restart() {
    try (Harness h = locked()) {
      h.answer(
          TestRequest.post("/license/install")
              .body("text/plain", h.keys.sign(Fixtures.renewal().build())));

      assertThat(h.handle(TestRequest.page("/notes"))).isEmpty();
    }
  }
}
