package dev.keyturn.server.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.ServerTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

abstract class SubscriptionTests extends ServerTest {

  @Test
  void creates_a_subscription_with_a_normalized_instance_domain_and_defaults() {
    Map<String, Object> body = subscription("Norm Corp");
    body.put("instance_domain", "HTTPS://Tools.Norm.Example./login");
    body.remove("seats");
    Api.Response r = as(Role.SALES).post("/api/v1/subscriptions", body);

    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    JsonNode s = r.json();
    assertThat(s.get("id").asString()).startsWith("sub_");
    assertThat(s.get("instance_domain").asString()).isEqualTo("tools.norm.example");
    assertThat(s.get("instance_type").asString()).isEqualTo("PRIMARY");
    assertThat(s.get("policy_preset").asString()).isEqualTo("appliance");
    assertThat(s.get("seats").asLong()).isZero();
    assertThat(s.get("archived_at").isNull()).isTrue();
    assertThat(as(Role.READONLY).get("/api/v1/subscriptions/" + s.get("id").asString()).json())
        .isEqualTo(s);
  }

  @Test
  void rejects_invalid_fields_naming_each_one_and_stores_nothing() {
    Map<String, Object> body = subscription("Bad Corp");
    body.remove("crm_account_id");
    body.put("instance_domain", "not a host");
    body.put("contacts", Map.of("admin_emails", List.of("ops@example.com", "nobody")));
    body.put("tier", "Gold Tier");
    body.put("seats", -1);
    body.put("policy_preset", "forever");
    body.put("limits", Map.of("users", -5));

    Api.Response r = as(Role.SALES).post("/api/v1/subscriptions", body);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.code()).isEqualTo("validation.failed");
    assertThat(r.json().get("errors").findValuesAsString("field"))
        .containsExactlyInAnyOrder(
            "crm_account_id",
            "instance_domain",
            "contacts.admin_emails[1]",
            "policy_preset",
            "tier",
            "seats",
            "limits.users");
    assertThat(as(Role.READONLY).get("/api/v1/subscriptions?q=Bad%20Corp").json()).isEmpty();
  }

  @Test
  void rejects_unknown_fields_and_wrong_types_with_the_field_name() {
    Map<String, Object> body = subscription("Typo Corp");
    body.put("seat", 5);
    Api.Response unknown = as(Role.SALES).post("/api/v1/subscriptions", body);
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.code()).isEqualTo("request.malformed");
    assertThat(unknown.field("detail")).contains("'seat'");

    Map<String, Object> wrongEnum = subscription("Enum Corp");
    wrongEnum.put("instance_type", "PRODUCTION");
    Api.Response r = as(Role.SALES).post("/api/v1/subscriptions", wrongEnum);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.field("detail")).contains("instance_type").contains("PRIMARY");
  }

  @Test
  void internal_subscriptions_need_no_crm_account() {
    Map<String, Object> body = subscription("Internal Team");
    body.put("customer_type", "INTERNAL");
    body.remove("crm_account_id");
    assertThat(as(Role.ADMIN).post("/api/v1/subscriptions", body).status()).isEqualTo(201);
  }

  @Test
  void support_may_change_contacts_but_not_staff_fields() {
    String id = createSubscription("Support Corp");
    Api support = as(Role.SUPPORT);

    Api.Response contacts =
        support.patch(
            "/api/v1/subscriptions/" + id,
            Map.of("contacts", Map.of("admin_emails", List.of("new-admin@example.com"))));
    assertThat(contacts.status()).as(contacts.toString()).isEqualTo(200);
    assertThat(contacts.json().get("contacts").get("admin_emails").get(0).asString())
        .isEqualTo("new-admin@example.com");

    Api.Response domain =
        support.patch(
            "/api/v1/subscriptions/" + id,
            Map.of("instance_domain", "evil.example", "tier", "large"));
    assertThat(domain.status()).isEqualTo(403);
    assertThat(domain.code()).isEqualTo("subscription.field_forbidden");
    assertThat(domain.json().get("fields").valueStream().map(JsonNode::asString))
        .containsExactly("instance_domain", "tier");
    assertThat(admin().get("/api/v1/subscriptions/" + id).field("instance_domain"))
        .isEqualTo("tools.support-corp.example");
  }

  @Test
  void sales_patch_normalizes_and_audits_each_change() {
    String id = createSubscription("Patch Corp");
    Api.Response r =
        as(Role.SALES)
            .patch(
                "/api/v1/subscriptions/" + id,
                Map.of(
                    "instance_domain", "Portal.Patch.Example.",
                    "instance_type", "SECONDARY",
                    "paid_through", "2027-01-31T23:30:00Z"));

    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.field("instance_domain")).isEqualTo("portal.patch.example");
    // Stored as timestamptz and read back in a non-UTC session: the same instant.
    assertThat(admin().get("/api/v1/subscriptions/" + id).field("paid_through"))
        .isEqualTo("2027-01-31T23:30:00Z");
    JsonNode event =
        admin().get("/api/v1/events?type=subscription.updated&subscription_id=" + id).json().get(0);
    assertThat(event.get("actor").asString()).isEqualTo("sales-user (token tests)");
    assertThat(event.get("metadata").get("changes").get("instance_domain").get("to").asString())
        .isEqualTo("portal.patch.example");
  }

  @Test
  void a_patch_with_an_unknown_or_invalid_field_changes_nothing() {
    String id = createSubscription("Strict Corp");
    Api sales = as(Role.SALES);
    Api.Response unknown = sales.patch("/api/v1/subscriptions/" + id, Map.of("colour", "red"));
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.code()).isEqualTo("validation.failed");

    Api.Response invalid =
        sales.patch("/api/v1/subscriptions/" + id, Map.of("tier", "large", "seats", -3));
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(admin().get("/api/v1/subscriptions/" + id).field("tier")).isEqualTo("medium");
  }

  @Test
  void archival_is_permanent_and_revokes_every_license() {
    String id = createSubscription("Gone Corp");
    String first = issued(id, "P30D").field("id");
    String second = issued(id, "P365D").field("id");
    Api sales = as(Role.SALES);

    Api.Response archived =
        sales.post("/api/v1/subscriptions/" + id + "/archive", Map.of("reason", "contract ended"));
    assertThat(archived.status()).as(archived.toString()).isEqualTo(200);
    assertThat(archived.json().get("archived_at").isNull()).isFalse();
    for (String license : List.of(first, second)) {
      JsonNode l = sales.get("/api/v1/licenses/" + license).json();
      assertThat(l.get("revoked").asBoolean()).isTrue();
      assertThat(l.get("revoked_reason").asString()).contains("contract ended");
    }

    Api.Response patch = sales.patch("/api/v1/subscriptions/" + id, Map.of("tier", "large"));
    assertThat(patch.status()).isEqualTo(409);
    assertThat(patch.code()).isEqualTo("subscription.archived");
    Api.Response issue = issue(sales, id, Map.of("duration", "P30D"));
    assertThat(issue.status()).isEqualTo(409);
    assertThat(issue.code()).isEqualTo("subscription.archived");
    Api.Response again =
        sales.post("/api/v1/subscriptions/" + id + "/archive", Map.of("reason", "again"));
    assertThat(again.status()).isEqualTo(409);

    JsonNode event =
        admin()
            .get("/api/v1/events?type=subscription.archived&subscription_id=" + id)
            .json()
            .get(0);
    assertThat(event.get("metadata").get("revoked_licenses").valueStream().map(JsonNode::asString))
        .containsExactlyInAnyOrder(first, second);
    assertThat(event.get("metadata").get("revoked_capabilities").get(0).asString())
        .isEqualTo("analytics");
  }

  @Test
  void archival_needs_a_reason() {
    String id = createSubscription("Reason Corp");
    Api.Response r = as(Role.SALES).post("/api/v1/subscriptions/" + id + "/archive", Map.of());
    assertThat(r.status()).isEqualTo(400);
    assertThat(admin().get("/api/v1/subscriptions/" + id).json().get("archived_at").isNull())
        .isTrue();
  }

  @Test
  void search_finds_by_name_crm_account_or_domain() {
    String id = createSubscription("Searchable Widgets");
    Api readonly = as(Role.READONLY);
    for (String q : List.of("searchable", "CRM-SEARCHABLE", "tools.searchable")) {
      assertThat(
              readonly
                  .get("/api/v1/subscriptions?q=" + q)
                  .json()
                  .valueStream()
                  .map(s -> s.get("id").asString()))
          .as(q)
          .contains(id);
    }
    assertThat(readonly.get("/api/v1/subscriptions?q=searchable&archived=true").json()).isEmpty();
  }
}
