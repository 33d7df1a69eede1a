package dev.keyturn.client.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.keyturn.client.checkin.CheckInSettings;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandingRouteTest {
  @TempDir Path dir;

  @Test
  void answers_the_d30_standing_as_json() {
    try (Harness h = Harness.withAcme(dir).at(Fixtures.daysBefore(30))) {
      WebResponse r = h.answer(TestRequest.api("GET", "/license/standing"));
      JsonNode s = Harness.json(r);

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.contentType()).isEqualTo("application/json");
      assertThat(r.headers()).containsEntry("Cache-Control", "no-store");
      assertThat(s.get("mode").asText()).isEqualTo("FULL");
      assertThat(s.get("phase").asText()).isEqualTo("EXPIRING");
      assertThat(s.get("stage").asText()).isEqualTo("D-30");
      assertThat(s.get("days_until_expiry").asLong()).isEqualTo(30);
      assertThat(s.get("expires_at").asText()).isEqualTo("2027-11-22T00:00:00Z");
      assertThat(s.get("evaluated_at").asText()).isEqualTo("2027-10-23T01:00:00Z");
      JsonNode banner = s.get("banner");
      assertThat(banner.get("level").asText()).isEqualTo("INFO");
      assertThat(banner.get("dismissal").asText()).isEqualTo("UNTIL_NEXT_STAGE");
      assertThat(banner.get("display").asText()).isEqualTo("SHOWN");
      assertThat(banner.get("dismissible").asBoolean()).isTrue();
      assertThat(banner.get("text").asText()).startsWith("Your license expires in 30 days");
      assertThat(s.get("license").get("customer").asText()).isEqualTo("Acme Corp");
      assertThat(s.get("license").get("subscription_id").asText()).isEqualTo("sub_01JD2ACME");
      assertThat(s.get("renewal").isNull()).isTrue();
    }
  }

  @Test
  void an_active_license_has_no_banner() {
    try (Harness h = Harness.withAcme(dir)) {
      JsonNode s = h.standing();

      assertThat(s.get("phase").asText()).isEqualTo("ACTIVE");
      assertThat(s.get("banner").get("level").asText()).isEqualTo("NONE");
      assertThat(s.get("banner").get("dismissible").asBoolean()).isFalse();
    }
  }

  @Test
  void writes_banner_dates_in_the_viewers_zone() {
    try (Harness h = Harness.withAcme(dir).at(Fixtures.daysBefore(30))) {
      String utc = h.standing().get("banner").get("text").asText();
      String saoPaulo =
          h.json(TestRequest.api("GET", "/license/standing").query("tz", "America/Sao_Paulo"))
              .get("banner")
              .get("text")
              .asText();

      assertThat(utc).contains("22 Nov 2027, 00:00 UTC.");
      assertThat(saoPaulo)
          .contains("21 Nov 2027, 21:00 BRT")
          .startsWith("Your license expires in 30 days");
    }
  }

  @Test
  void an_unknown_zone_falls_back_to_the_products_zone() {
    try (Harness h = Harness.withAcme(dir).at(Fixtures.daysBefore(30))) {
      String text =
          h.json(TestRequest.api("GET", "/license/standing").query("tz", "Mars/Olympus_Mons"))
              .get("banner")
              .get("text")
              .asText();

      assertThat(text).contains("22 Nov 2027, 00:00 UTC.");
    }
  }

  @Test
  void grace_says_how_many_days_remain_before_lock() {
    try (Harness h = Harness.withAcme(dir).at(Fixtures.EXPIRES.plus(Duration.ofDays(20)))) {
      JsonNode s = h.standing();

      assertThat(s.get("phase").asText()).isEqualTo("GRACE");
      assertThat(s.get("days_until_lock").asLong()).isEqualTo(40);
      assertThat(s.get("banner").get("level").asText()).isEqualTo("DANGER");
      assertThat(s.get("banner").get("dismissible").asBoolean()).isFalse();
      assertThat(s.get("banner").get("text").asText()).contains("40 days remaining before lock");
    }
  }

  @Test
  void a_clock_turned_back_is_said_in_the_banner_and_keeps_the_local_zone_sentence_last() {
    try (Harness h = Harness.withAcme(dir).at(Fixtures.daysBefore(15))) {
      h.clock.set(Fixtures.daysBefore(40));
      JsonNode s =
          h.json(TestRequest.api("GET", "/license/standing").query("tz", "America/Sao_Paulo"));

      assertThat(s.get("flags").toString()).contains("CLOCK_ROLLBACK");
      String text = s.get("banner").get("text").asText();
      assertThat(text).startsWith("The system clock says");
      assertThat(text).contains("Your license expires in 15 days").contains("BRT");
      assertThat(s.get("banner").get("dismissible").asBoolean()).isFalse();
    }
  }

  @Test
  void a_failing_payment_reported_by_the_server_is_in_the_banner() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          byte[] body =
              ("{\"standing\":{\"payment_failing\":true,"
                      + "\"message\":\"Payment failed: update your card.\"},"
                      + "\"revoked\":false,\"license\":null,\"check_in_after\":\"PT12H\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    try (Harness h =
        new Harness(
            dir,
            Fixtures.MID_YEAR,
            WebSettings.defaults(),
            b -> b.checkIn(CheckInSettings.builder(uri).build()))) {
      h.licenses.install(h.keys.sign(Fixtures.acme().build()));
      h.licenses.checkIn();
      JsonNode s = h.standing();

      assertThat(s.get("flags").toString()).contains("PAYMENT_FAILING");
      assertThat(s.get("banner").get("text").asText())
          .isEqualTo("Payment failed: update your card.");
      assertThat(s.get("banner").get("level").asText()).isEqualTo("WARNING");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void without_a_license_the_standing_is_locked() {
    try (Harness h = new Harness(dir, Fixtures.MID_YEAR, WebSettings.defaults())) {
      JsonNode s = h.standing();

      assertThat(s.get("mode").asText()).isEqualTo("LOCKED");
      assertThat(s.get("flags").toString()).contains("NO_LICENSE");
      assertThat(s.get("license").isNull()).isTrue();
      assertThat(s.get("banner").get("level").asText()).isEqualTo("LOCK");
    }
  }

  @Test
  void the_standing_route_answers_get_only() {
    try (Harness h = Harness.withAcme(dir)) {
      WebResponse r = h.answer(TestRequest.post("/license/standing"));

      assertThat(r.status()).isEqualTo(405);
      assertThat(r.headers()).containsEntry("Allow", "GET, HEAD");
      assertThat(Harness.json(r).get("code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
    }
  }

  @Test
  void an_unknown_license_route_is_not_found_and_never_reaches_the_product() {
    try (Harness h = Harness.withAcme(dir)) {
      WebResponse r = h.answer(TestRequest.api("GET", "/license/nothing-here"));

      assertThat(r.status()).isEqualTo(404);
      assertThat(r.contentType()).isEqualTo("application/problem+json");
    }
  }
}
