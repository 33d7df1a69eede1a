package dev.keyturn.server.license;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.VerificationCode;
import dev.keyturn.core.crypto.Pem;
import dev.keyturn.core.license.LicenseReader;
import dev.keyturn.core.license.SignedLicense;
import dev.keyturn.core.verify.LicenseVerifier;
import dev.keyturn.core.verify.Verification;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.ServerTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

abstract class LicenseTests extends ServerTest {

  private Verification verify(String text) {
    return new LicenseVerifier(publishedKeys()).verify(text, clock.instant(), Optional.empty());
  }

  @Test
  void issues_a_license_from_the_subscription_that_verifies_against_the_published_keys() {
    String sub = createSubscription("Issue Corp");
    Api.Response r = issued(sub, "P365D");
    String id = r.field("id");

    Api.Response download = as(Role.READONLY).get("/api/v1/licenses/" + id + "/download");
    assertThat(download.status()).isEqualTo(200);
    assertThat(download.raw().headers().firstValue("Content-Disposition").orElseThrow())
        .contains(id + ".license.toml");
    assertThat(download.body()).isEqualTo(r.field("text"));
    Verification v = verify(download.body());
    assertThat(v.code()).as(v.message()).isEqualTo(VerificationCode.VALID);
    SignedLicense signed = v.license().orElseThrow();
    assertThat(signed.license().customer()).isEqualTo("Issue Corp");
    assertThat(signed.license().instanceDomain()).contains("tools.issue-corp.example");
    assertThat(signed.license().seats()).isEqualTo(250);
    assertThat(signed.license().features()).containsExactly("sso");
    assertThat(signed.license().limits()).containsEntry("users", 250L);
    assertThat(Duration.between(signed.license().notBefore(), signed.license().expiresAt()))
        .isEqualTo(Duration.ofDays(365));
  }

  @Test
  void an_engineer_may_issue_seven_days_with_unlimited_seats() {
    String sub = createSubscription("Seven Corp");
    Api.Response r =
        issue(
            as(Role.ENGINEER), sub, Map.of("duration", "P7D", "seats", 0, "tags", List.of("dev")));

    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    assertThat(r.json().get("seats").asLong()).isZero();
    assertThat(r.field("issued_by")).isEqualTo("engineer-user (token tests)");
    JsonNode event =
        admin().get("/api/v1/events?type=license.issued&license_id=" + r.field("id")).json().get(0);
    assertThat(event.get("actor").asString()).isEqualTo("engineer-user (token tests)");
    assertThat(event.get("metadata").get("role").asString()).isEqualTo("ENGINEER");
  }

  @Test
  void an_engineer_is_refused_anything_longer_than_seven_days() {
    String sub = createSubscription("Eight Corp");
    Api engineer = as(Role.ENGINEER);
    Instant now = clock.instant();

    Api.Response days = issue(engineer, sub, Map.of("duration", "P8D"));
    Api.Response second =
        issue(
            engineer,
            sub,
            Map.of(
                "not_before",
                now.toString(),
                "expires_at",
                now.plus(Duration.ofDays(7)).plusSeconds(1).toString()));

    for (Api.Response r : List.of(days, second)) {
      assertThat(r.status()).as(r.toString()).isEqualTo(403);
      assertThat(r.code()).isEqualTo("license.engineer_limit_exceeded");
      assertThat(r.field("detail")).contains("at most 7 days");
    }
    assertThat(as(Role.READONLY).get("/api/v1/licenses?subscription_id=" + sub).json()).isEmpty();
    assertThat(issue(as(Role.SALES), sub, Map.of("duration", "P8D")).status()).isEqualTo(201);
  }

  @Test
  void an_engineer_cannot_chain_bridges_or_start_one_later_than_a_day_ahead() {
    String sub = createSubscription("Chain Corp");
    Api engineer = as(Role.ENGINEER);
    Instant now = clock.instant();

    Api.Response later =
        issue(
            engineer,
            sub,
            Map.of("not_before", now.plus(Duration.ofHours(25)).toString(), "duration", "P1D"));
    assertThat(later.status()).as(later.toString()).isEqualTo(403);
    assertThat(later.code()).isEqualTo("license.engineer_limit_exceeded");
    assertThat(later.field("rule")).isEqualTo("not_before");

    Api.Response beyondAWeek =
        issue(
            engineer,
            sub,
            Map.of("not_before", now.plus(Duration.ofHours(20)).toString(), "duration", "P7D"));
    assertThat(beyondAWeek.status()).as(beyondAWeek.toString()).isEqualTo(403);
    assertThat(beyondAWeek.field("rule")).isEqualTo("expires_at");

    Api.Response first = issue(engineer, sub, Map.of("duration", "P7D"));
    assertThat(first.status()).as(first.toString()).isEqualTo(201);
    Api.Response chained =
        issue(
            engineer,
            sub,
            Map.of("not_before", now.plus(Duration.ofHours(23)).toString(), "duration", "P1D"));
    assertThat(chained.status()).as(chained.toString()).isEqualTo(403);
    assertThat(chained.field("rule")).isEqualTo("one_bridge_at_a_time");
    assertThat(chained.field("detail")).contains(first.field("id"));
    assertThat(as(Role.READONLY).get("/api/v1/licenses?subscription_id=" + sub).json()).hasSize(1);

    // Another engineer is bound by the same bridge; SALES is not.
    assertThat(issue(as(Role.SALES), sub, Map.of("duration", "P30D")).status()).isEqualTo(201);
    Api.Response revoked =
        as(Role.SALES)
            .post(
                "/api/v1/licenses/" + first.field("id") + "/revoke",
                Map.of("reason", "bridge no longer needed"));
    assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
    assertThat(issue(engineer, sub, Map.of("duration", "P2D")).status()).isEqualTo(201);
  }

  @Test
  void an_engineer_bridge_that_has_not_started_yet_still_blocks_another() {
    String sub = createSubscription("Pending Bridge Corp");
    Api engineer = as(Role.ENGINEER);
    Instant now = clock.instant();
    Api.Response pending =
        issue(
            engineer,
            sub,
            Map.of("not_before", now.plus(Duration.ofHours(20)).toString(), "duration", "P2D"));
    assertThat(pending.status()).as(pending.toString()).isEqualTo(201);

    Api.Response startingNow = issue(engineer, sub, Map.of("duration", "P1D"));
    assertThat(startingNow.status()).as(startingNow.toString()).isEqualTo(403);
    assertThat(startingNow.field("rule")).isEqualTo("one_bridge_at_a_time");
    assertThat(startingNow.field("detail")).contains(pending.field("id"));
  }

  @Test
  void an_engineers_license_keeps_the_product_working_at_most_seven_days_after_expiry() {
    String sub = createSubscription("Grace Corp"); // the appliance preset: 60 days of grace
    Api.Response sales = issued(sub, "P30D");
    assertThat(sales.json().get("grace_days").asInt()).isGreaterThan(7);

    Api.Response r =
        issue(
            as(Role.ENGINEER), createSubscription("Grace Bridge Corp"), Map.of("duration", "P7D"));

    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    assertThat(r.json().get("grace_days").asInt()).isEqualTo(7);
    SignedLicense signed = new LicenseReader().read(r.field("text"));
    assertThat(signed.license().policy().graceDays()).isEqualTo(7);
    assertThat(Instant.parse(r.field("locks_at")))
        .isEqualTo(Instant.parse(r.field("expires_at")).plus(Duration.ofDays(7)));
  }

  @Test
  void rejects_an_invalid_validity_window() {
    String sub = createSubscription("Window Corp");
    Api sales = as(Role.SALES);
    Instant now = clock.instant();
    List<Map<String, Object>> bodies =
        List.of(
            Map.of(),
            Map.of("duration", "P30D", "expires_at", now.plus(Duration.ofDays(30)).toString()),
            Map.of("expires_at", now.minus(Duration.ofDays(1)).toString()),
            Map.of("duration", "P30D", "tags", List.of("Not A Tag")),
            Map.of("duration", "P30D", "seats", -1),
            Map.of("duration", "P9999D"));
    for (Map<String, Object> body : bodies) {
      Api.Response r = issue(sales, sub, body);
      assertThat(r.status()).as(body + " -> " + r).isEqualTo(400);
      assertThat(r.code()).isIn("validation.failed");
    }
    assertThat(sales.get("/api/v1/licenses?subscription_id=" + sub).json()).isEmpty();
  }

  @Test
  void lists_what_expires_next_first_and_filters_by_tag_phase_and_instance_type() {
    Map<String, Object> body = subscription("List Corp");
    body.put("instance_type", "SECONDARY");
    String sub = as(Role.SALES).post("/api/v1/subscriptions", body).field("id");
    Api sales = as(Role.SALES);
    String year = issued(sub, "P365D").field("id");
    String month =
        issue(sales, sub, Map.of("duration", "P20D", "tags", List.of("trial"))).field("id");
    String quarter = issued(sub, "P90D").field("id");

    List<String> byExpiry =
        ids(sales.get("/api/v1/licenses?subscription_id=" + sub + "&sort=expires_at"));
    assertThat(byExpiry).containsExactly(month, quarter, year);
    assertThat(ids(sales.get("/api/v1/licenses?subscription_id=" + sub + "&tag=trial")))
        .containsExactly(month);
    assertThat(ids(sales.get("/api/v1/licenses?subscription_id=" + sub + "&phase=EXPIRING")))
        .containsExactly(month);
    assertThat(
            ids(
                sales.get(
                    "/api/v1/licenses?subscription_id=" + sub + "&phase=ACTIVE&sort=expires_at")))
        .containsExactly(quarter, year);
    assertThat(ids(sales.get("/api/v1/licenses?subscription_id=" + sub + "&instance_type=PRIMARY")))
        .isEmpty();
    assertThat(sales.get("/api/v1/licenses?sort=cheapest").status()).isEqualTo(400);
    assertThat(sales.get("/api/v1/licenses?phase=SLEEPING").status()).isEqualTo(400);
  }

  @Test
  void phases_follow_the_server_clock() {
    String sub = createSubscription("Clock Corp");
    String id = issued(sub, "P100D").field("id");
    Api admin = admin();
    assertThat(admin.get("/api/v1/licenses/" + id).field("phase")).isEqualTo("ACTIVE");

    admin.post("/api/v1/test-clock", Map.of("advance", "P80D"));
    assertThat(admin.get("/api/v1/licenses/" + id).field("phase")).isEqualTo("EXPIRING");
    admin.post("/api/v1/test-clock", Map.of("advance", "P30D"));
    assertThat(admin.get("/api/v1/licenses/" + id).field("phase")).isEqualTo("GRACE");
    assertThat(ids(admin.get("/api/v1/licenses?subscription_id=" + sub + "&expired=true")))
        .containsExactly(id);
    admin.post("/api/v1/test-clock", Map.of("advance", "P60D"));
    assertThat(ids(admin.get("/api/v1/licenses?subscription_id=" + sub + "&phase=LOCKED")))
        .containsExactly(id);
  }

  @Test
  void revocation_records_reason_actor_and_time_once() {
    String sub = createSubscription("Revoke Corp");
    String id = issued(sub, "P30D").field("id");
    Api sales = as(Role.SALES);

    Api.Response missing = sales.post("/api/v1/licenses/" + id + "/revoke", Map.of());
    assertThat(missing.status()).isEqualTo(400);
    Api.Response r =
        sales.post(
            "/api/v1/licenses/" + id + "/revoke", Map.of("reason", "sent to the wrong customer"));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().get("revoked").asBoolean()).isTrue();
    assertThat(r.field("revoked_by")).isEqualTo("sales-user (token tests)");
    assertThat(r.field("revoked_reason")).isEqualTo("sent to the wrong customer");
    assertThat(Instant.parse(r.field("revoked_at"))).isBeforeOrEqualTo(clock.instant());

    Api.Response again =
        sales.post("/api/v1/licenses/" + id + "/revoke", Map.of("reason", "twice"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.code()).isEqualTo("license.already_revoked");
    assertThat(ids(sales.get("/api/v1/licenses?subscription_id=" + sub + "&revoked=false")))
        .isEmpty();
  }

  @Test
  void licenses_signed_before_a_rotation_keep_verifying() {
    String sub = createSubscription("Rotate Corp");
    Api.Response before = issued(sub, "P365D");

    Api.Response rotated = admin().post("/api/v1/signing-keys/rotate", null);
    assertThat(rotated.status()).as(rotated.toString()).isEqualTo(201);
    Api.Response after = issued(sub, "P365D");

    String oldKey = before.field("key_id");
    String newKey = after.field("key_id");
    assertThat(newKey).isEqualTo(rotated.field("key_id")).isNotEqualTo(oldKey);
    JsonNode keys = anonymous().get("/api/v1/signing-keys").json();
    assertThat(keys.get("active_key_id").asString()).isEqualTo(newKey);
    assertThat(verify(before.field("text")).code()).isEqualTo(VerificationCode.VALID);
    assertThat(verify(after.field("text")).code()).isEqualTo(VerificationCode.VALID);
    Api.Response pem = anonymous().get("/api/v1/signing-keys/" + oldKey + "/public.pem");
    assertThat(Pem.readPublicKey(pem.body())).isEqualTo(publishedKeys().find(oldKey).orElseThrow());
    assertThat(new LicenseReader().read(before.field("text")).signature().keyId())
        .isEqualTo(oldKey);
  }

  @Test
  void unknown_licenses_are_problems() {
    Api.Response r = as(Role.READONLY).get("/api/v1/licenses/lic_nope");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.code()).isEqualTo("not_found");
    assertThat(issue(as(Role.SALES), "sub_nope", Map.of("duration", "P1D")).status())
        .isEqualTo(404);
  }

  private static List<String> ids(Api.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().valueStream().map(l -> l.get("id").asString()).toList();
  }
}
