package dev.keyturn.client.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyturn.client.store.LicenseFiles;
import dev.keyturn.core.license.LicenseReader;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenewalTest {
  @TempDir Path dir;

  @Test
  void renew_by_email_opens_a_message_pre_filled_with_the_license() {
    WebSettings settings =
        WebSettings.builder()
            .productName("Acme Notes")
            .renewalEmail("renewals@vendor.example")
            .build();
    try (Harness h =
        Harness.withLicense(dir, Fixtures.acme().build(), settings).at(Fixtures.daysBefore(30))) {
      JsonNode renewal = h.standing().get("renewal");
      String href = renewal.get("href").asText();
      String decoded = URLDecoder.decode(href.replace("+", "%2B"), StandardCharsets.UTF_8);

      assertThat(renewal.get("kind").asText()).isEqualTo("email");
      assertThat(href)
          .startsWith("mailto:renewals@vendor.example?subject=")
          .doesNotContain(" ")
          .doesNotContain("+");
      assertThat(decoded)
          .contains("subject=Renewal request: Acme Corp (sub_01JD2ACME)")
          .contains("Please renew our license for Acme Notes.")
          .contains("Customer reference: sub_01JD2ACME")
          .contains("Tier: medium")
          .contains("Current expiry: 2027-11-22T00:00:00Z");
      assertThat(renewal.get("details").get("customer_reference").asText())
          .isEqualTo("sub_01JD2ACME");
    }
  }

  @Test
  void renew_by_portal_adds_the_details_as_query_parameters() {
    WebSettings settings =
        WebSettings.builder()
            .renewalPortal(URI.create("https://portal.vendor.example/renew?src=app"))
            .build();
    try (Harness h = Harness.withLicense(dir, Fixtures.acme().build(), settings)) {
      JsonNode renewal = h.standing().get("renewal");

      assertThat(renewal.get("kind").asText()).isEqualTo("portal");
      assertThat(renewal.get("href").asText())
          .isEqualTo(
              "https://portal.vendor.example/renew?src=app&customer_reference=sub_01JD2ACME"
                  + "&license_id=lic_01JD3ACME&tier=medium&expires_at=2027-11-22T00%3A00%3A00Z");
    }
  }

  @Test
  void renew_with_a_server_posts_the_request_with_the_license_token_and_relays_the_answer() {
    try (FakeRenewalServer server = new FakeRenewalServer()) {
      WebSettings settings =
          WebSettings.builder()
              .renewalServer(server.uri(), dir.resolve("license"))
              .renewalEmail("renewals@vendor.example")
              .build();
      try (Harness h = Harness.withLicense(dir, Fixtures.acme().build(), settings)) {
        JsonNode renewal = h.standing().get("renewal");
        assertThat(renewal.get("kind").asText()).isEqualTo("server");
        assertThat(renewal.get("action").asText()).isEqualTo("/license/renewal-request");

        WebResponse r =
            h.answer(
                TestRequest.post("/license/renewal-request")
                    .body(
                        "application/json",
                        "{\"contact_name\":\"Ana\",\"contact_email\":\"ana@acme.example\","
                            + "\"message\":\"Please renew.\"}"));
        JsonNode answer = Harness.json(r);

        assertThat(r.status()).isEqualTo(200);
        assertThat(answer.get("sent").asBoolean()).isTrue();
        assertThat(answer.get("reference").asText()).isEqualTo("rr_0001");
        assertThat(answer.get("message").asText()).contains("rr_0001");
        FakeRenewalServer.Received sent = server.received.get(0);
        assertThat(sent.path()).isEqualTo("/api/v1/renewal-requests");
        String hash =
            LicenseFiles.hashOf(new LicenseReader().read(h.keys.sign(Fixtures.acme().build())));
        assertThat(sent.authorization()).isEqualTo("Bearer kt_lic_" + hash);
        JsonNode body = Json.readObject(sent.body().getBytes(StandardCharsets.UTF_8)).orElseThrow();
        assertThat(body.get("license_id").asText()).isEqualTo("lic_01JD3ACME");
        assertThat(body.get("subscription_id").asText()).isEqualTo("sub_01JD2ACME");
        assertThat(body.get("customer").asText()).isEqualTo("Acme Corp");
        assertThat(body.get("tier").asText()).isEqualTo("medium");
        assertThat(body.get("expires_at").asText()).isEqualTo("2027-11-22T00:00:00Z");
        assertThat(body.get("contact_email").asText()).isEqualTo("ana@acme.example");
        assertThat(body.get("message").asText()).isEqualTo("Please renew.");
      }
    }
  }

  @Test
  void a_refusal_from_the_server_is_shown_with_the_fallback_link() {
    try (FakeRenewalServer server = new FakeRenewalServer()) {
      server.answer(404, "{\"title\":\"Not Found\",\"detail\":\"no such endpoint\"}");
      WebSettings settings =
          WebSettings.builder()
              .renewalServer(server.uri(), dir.resolve("license"))
              .renewalEmail("renewals@vendor.example")
              .build();
      try (Harness h = Harness.withLicense(dir, Fixtures.acme().build(), settings)) {
        WebResponse r =
            h.answer(TestRequest.post("/license/renewal-request").body("application/json", "{}"));
        JsonNode problem = Harness.json(r);

        assertThat(r.status()).isEqualTo(502);
        assertThat(problem.get("code").asText()).isEqualTo("RENEWAL_FAILED");
        assertThat(problem.get("detail").asText())
            .isEqualTo(
                "The renewal server did not accept the request (HTTP 404): no such endpoint");
        assertThat(problem.get("fallback_href").asText())
            .startsWith("mailto:renewals@vendor.example");
      }
    }
  }

  @Test
  void an_unreachable_server_is_said_in_words() {
    URI closed;
    try (FakeRenewalServer server = new FakeRenewalServer()) {
      closed = server.uri();
    }
    WebSettings settings =
        WebSettings.builder().renewalServer(closed, dir.resolve("license")).build();
    try (Harness h = Harness.withLicense(dir, Fixtures.acme().build(), settings)) {
      JsonNode problem =
          h.json(TestRequest.post("/license/renewal-request").body("application/json", "{}"));

      assertThat(problem.get("detail").asText())
          .startsWith("The renewal server could not be reached");
      assertThat(problem.has("fallback_href")).isFalse();
    }
  }

  @Test
  void a_renewal_request_from_another_site_is_refused_before_it_is_sent() {
    try (FakeRenewalServer server = new FakeRenewalServer()) {
      WebSettings settings =
          WebSettings.builder().renewalServer(server.uri(), dir.resolve("license")).build();
      try (Harness h = Harness.withLicense(dir, Fixtures.acme().build(), settings)) {
        WebResponse r =
            h.answer(
                TestRequest.post("/license/renewal-request")
                    .header("Origin", "https://evil.example")
                    .body("application/json", "{}"));

        assertThat(r.status()).isEqualTo(403);
        assertThat(server.received).isEmpty();
      }
    }
  }

  @Test
  void overlong_contact_fields_are_refused() {
    try (FakeRenewalServer server = new FakeRenewalServer()) {
      WebSettings settings =
          WebSettings.builder().renewalServer(server.uri(), dir.resolve("license")).build();
      try (Harness h = Harness.withLicense(dir, Fixtures.acme().build(), settings)) {
        WebResponse r =
            h.answer(
                TestRequest.post("/license/renewal-request")
                    .body("application/json", "{\"contact_name\":\"" + "a".repeat(201) + "\"}"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(server.received).isEmpty();
      }
    }
  }

  @Test
  void without_a_server_the_renewal_route_says_so() {
    try (Harness h = Harness.withAcme(dir)) {
      WebResponse r =
          h.answer(TestRequest.post("/license/renewal-request").body("application/json", "{}"));

      assertThat(r.status()).isEqualTo(404);
      assertThat(Harness.json(r).get("code").asText()).isEqualTo("RENEWAL_NOT_CONFIGURED");
    }
  }
}
