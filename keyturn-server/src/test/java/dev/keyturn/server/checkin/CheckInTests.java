package dev.keyturn.server.checkin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.license.LicenseReader;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.ServerTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

abstract class CheckInTests extends ServerTest {

  private Api client(String licenseText) {
    return anonymous().as(Api.bearer(licenseToken(licenseText)));
  }

  private static Map<String, Object> report(String licenseId, String instanceId) {
    Map<String, Object> body = new HashMap<>();
    body.put("license_id", licenseId);
    body.put("instance_id", instanceId);
    body.put("instance_domain", "tools.example");
    body.put("usage", Map.of("users", 12));
    body.put("client_version", "0.1.0");
    return body;
  }

  @Test
  void the_first_check_in_binds_the_instance_and_returns_the_standing() {
    String sub = createSubscription("Bind Corp");
    Api.Response license = issued(sub, "P365D");
    String id = license.field("id");

    Api.Response r = client(license.field("text")).post("/api/v1/check-in", report(id, "inst-1"));

    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.get("revoked").asBoolean()).isFalse();
    assertThat(body.get("license").isNull()).isTrue();
    assertThat(body.get("check_in_after").asString()).isEqualTo("PT12H");
    assertThat(body.get("standing").get("phase").asString()).isEqualTo("ACTIVE");
    assertThat(body.get("standing").get("mode").asString()).isEqualTo("FULL");
    assertThat(body.get("standing").get("days_until_expiry").asLong()).isEqualTo(365);
    JsonNode subscription = admin().get("/api/v1/subscriptions/" + sub).json();
    assertThat(subscription.get("bound_instance_id").asString()).isEqualTo("inst-1");
    assertThat(subscription.get("last_check_in").get("usage").get("users").asLong()).isEqualTo(12);
    assertThat(admin().get("/api/v1/events?type=instance.bound&subscription_id=" + sub).json())
        .hasSize(1);

    // The same instance again: fine, and still bound once.
    assertThat(
            client(license.field("text")).post("/api/v1/check-in", report(id, "inst-1")).status())
        .isEqualTo(200);
    assertThat(admin().get("/api/v1/events?type=instance.bound&subscription_id=" + sub).json())
        .hasSize(1);
  }

  @Test
  void a_repeated_report_is_stored_once_a_minute_and_a_changed_one_at_once() {
    String sub = createSubscription("Repeat Corp");
    Api.Response license = issued(sub, "P365D");
    Api client = client(license.field("text"));
    Map<String, Object> report = report(license.field("id"), "inst-1");
    client.post("/api/v1/check-in", report);
    String first = admin().get("/api/v1/subscriptions/" + sub).field("last_check_in_at");

    admin().post("/api/v1/test-clock", Map.of("advance", "PT30S"));
    client.post("/api/v1/check-in", report);
    assertThat(admin().get("/api/v1/subscriptions/" + sub).field("last_check_in_at"))
        .isEqualTo(first);

    report.put("usage", Map.of("users", 13));
    client.post("/api/v1/check-in", report);
    JsonNode changed = admin().get("/api/v1/subscriptions/" + sub).json();
    assertThat(changed.get("last_check_in_at").asString()).isNotEqualTo(first);
    assertThat(changed.get("last_check_in").get("usage").get("users").asLong()).isEqualTo(13);

    String second = changed.get("last_check_in_at").asString();
    admin().post("/api/v1/test-clock", Map.of("advance", "PT61S"));
    client.post("/api/v1/check-in", report);
    assertThat(admin().get("/api/v1/subscriptions/" + sub).field("last_check_in_at"))
        .isNotEqualTo(second);
  }

  @Test
  void another_instance_gets_409_and_an_instance_conflict_event() {
    String sub = createSubscription("Conflict Corp");
    Api.Response license = issued(sub, "P365D");
    Api client = client(license.field("text"));
    assertThat(client.post("/api/v1/check-in", report(license.field("id"), "inst-1")).status())
        .isEqualTo(200);

    Api.Response r = client.post("/api/v1/check-in", report(license.field("id"), "inst-2"));

    assertThat(r.status()).isEqualTo(409);
    assertThat(r.code()).isEqualTo("instance.conflict");
    JsonNode events =
        admin().get("/api/v1/events?type=instance.conflict&subscription_id=" + sub).json();
    assertThat(events).hasSize(1);
    assertThat(events.get(0).get("metadata").get("instance_id").asString()).isEqualTo("inst-2");
    assertThat(events.get(0).get("metadata").get("bound_instance_id").asString())
        .isEqualTo("inst-1");
    assertThat(admin().get("/api/v1/subscriptions/" + sub).field("bound_instance_id"))
        .isEqualTo("inst-1");
  }

  @Test
  void many_concurrent_check_ins_all_succeed() throws Exception {
    // More requests at once than the connection pool has connections: a query nested inside
    // another once deadlocked the pool here.
    String sub = createSubscription("Busy Corp");
    Api.Response license = issued(sub, "P365D");
    Api client = client(license.field("text"));
    List<Callable<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 48; i++) {
      calls.add(
          () -> client.post("/api/v1/check-in", report(license.field("id"), "inst-1")).status());
    }
    ExecutorService pool = Executors.newFixedThreadPool(24);
    try {
      for (Future<Integer> status : pool.invokeAll(calls, 60, TimeUnit.SECONDS)) {
        assertThat(status.get()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void after_a_release_the_next_instance_binds_the_subscription() {
    String sub = createSubscription("Move Corp");
    Api.Response license = issued(sub, "P365D");
    Api client = client(license.field("text"));
    client.post("/api/v1/check-in", report(license.field("id"), "old-server"));

    Api.Response released =
        as(Role.SUPPORT)
            .post(
                "/api/v1/subscriptions/" + sub + "/release-instance",
                Map.of("reason", "hardware replaced"));
    assertThat(released.status()).as(released.toString()).isEqualTo(200);
    assertThat(released.json().get("bound_instance_id").isNull()).isTrue();

    assertThat(client.post("/api/v1/check-in", report(license.field("id"), "new-server")).status())
        .isEqualTo(200);
    assertThat(client.post("/api/v1/check-in", report(license.field("id"), "old-server")).status())
        .isEqualTo(409);
    JsonNode event =
        admin().get("/api/v1/events?type=instance.released&subscription_id=" + sub).json().get(0);
    assertThat(event.get("metadata").get("instance_id").asString()).isEqualTo("old-server");
  }

  @Test
  void a_newer_license_comes_back_with_its_standing() {
    String sub = createSubscription("Renew Corp");
    Api.Response old = issued(sub, "P30D");
    Api.Response renewed = issued(sub, "P395D");
    issue(as(Role.ENGINEER), sub, Map.of("duration", "P7D")); // shorter: never offered

    Api.Response r =
        client(old.field("text")).post("/api/v1/check-in", report(old.field("id"), "inst-1"));

    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().get("license").asString()).isEqualTo(renewed.field("text"));
    assertThat(r.json().get("standing").get("license_id").asString())
        .isEqualTo(renewed.field("id"));
    assertThat(new LicenseReader().read(r.json().get("license").asString()).license().id())
        .isEqualTo(renewed.field("id"));

    // Checking in with the newest license: nothing newer to send.
    Api.Response current =
        client(renewed.field("text"))
            .post("/api/v1/check-in", report(renewed.field("id"), "inst-1"));
    assertThat(current.json().get("license").isNull()).isTrue();
  }

  @Test
  void a_revoked_license_gets_403_with_the_customer_message_never_the_internal_reason() {
    String sub = createSubscription("Revoked Corp");
    Api.Response license = issued(sub, "P365D");
    Api.Response revoked =
        as(Role.SALES)
            .post(
                "/api/v1/licenses/" + license.field("id") + "/revoke",
                Map.of(
                    "reason", "internal: suspected fraud, chargeback 4711",
                    "customer_message", "Refunded on your request; thank you."));
    assertThat(revoked.field("revoked_reason")).contains("suspected fraud");

    Api.Response r =
        client(license.field("text")).post("/api/v1/check-in", report(license.field("id"), "i"));

    assertThat(r.status()).isEqualTo(403);
    assertThat(r.code()).isEqualTo("license.revoked");
    assertThat(r.json().get("revoked").asBoolean()).isTrue();
    assertThat(r.field("reason")).isEqualTo("Refunded on your request; thank you.");
    assertThat(r.body()).doesNotContain("fraud").doesNotContain("4711");
  }

  @Test
  void a_revocation_without_a_customer_message_tells_the_product_a_generic_one() {
    Api.Response license = issued(createSubscription("Quiet Revoke Corp"), "P365D");
    as(Role.SALES)
        .post(
            "/api/v1/licenses/" + license.field("id") + "/revoke",
            Map.of("reason", "internal: suspected fraud"));

    Api.Response r =
        client(license.field("text")).post("/api/v1/check-in", report(license.field("id"), "i"));

    assertThat(r.status()).isEqualTo(403);
    assertThat(r.field("reason"))
        .isEqualTo("This license was revoked. Please contact your vendor.");
    assertThat(r.body()).doesNotContain("fraud");
  }

  @Test
  void unknown_or_missing_tokens_get_401() {
    Api.Response missing = anonymous().post("/api/v1/check-in", report("lic_x", "i"));
    Api.Response unknown =
        anonymous()
            .as(Api.bearer("kt_lic_" + "0".repeat(64)))
            .post("/api/v1/check-in", report("lic_x", "i"));
    for (Api.Response r : new Api.Response[] {missing, unknown}) {
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.code()).isEqualTo("license.unknown_token");
    }
  }

  @Test
  void a_report_that_does_not_match_the_token_is_rejected() {
    String sub = createSubscription("Mismatch Corp");
    Api.Response license = issued(sub, "P365D");
    Api client = client(license.field("text"));

    Api.Response wrongId = client.post("/api/v1/check-in", report("lic_other", "inst-1"));
    Api.Response noInstance = client.post("/api/v1/check-in", report(license.field("id"), " "));

    assertThat(wrongId.status()).isEqualTo(400);
    assertThat(wrongId.json().get("errors").get(0).get("field").asString()).isEqualTo("license_id");
    assertThat(noInstance.status()).isEqualTo(400);
    assertThat(admin().get("/api/v1/subscriptions/" + sub).json().get("bound_instance_id").isNull())
        .isTrue();
  }

  @Test
  void capabilities_answer_until_the_subscription_is_archived() {
    String sub = createSubscription("Caps Corp");
    Api.Response license = issued(sub, "P365D");
    Api client = client(license.field("text"));

    Api.Response r = client.get("/api/v1/capabilities");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().get("capabilities").get("analytics").get("enabled").asBoolean()).isTrue();
    assertThat(r.json().get("capabilities").get("analytics").get("rate_limit_per_minute").asLong())
        .isEqualTo(60);

    as(Role.SALES).post("/api/v1/subscriptions/" + sub + "/archive", Map.of("reason", "churned"));

    Api.Response archived = client.get("/api/v1/capabilities");
    assertThat(archived.status()).isEqualTo(403);
    assertThat(archived.code()).isEqualTo("capabilities.revoked");
    Api.Response checkIn = client.post("/api/v1/check-in", report(license.field("id"), "inst-1"));
    assertThat(checkIn.status()).isEqualTo(403);
    assertThat(checkIn.json().get("revoked").asBoolean()).isTrue();
  }
}
