package dev.keyturn.server.policy;

import static dev.keyturn.server.policy.PolicyScenarioTests.partnerPolicy;
import static dev.keyturn.server.policy.PolicyScenarioTests.reminder;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.OnH2;
import dev.keyturn.server.support.ServerTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code /api/v1/policies}: validation by core, the presets, who may change what. */
@OnH2
class PolicyApiTest extends ServerTest {
  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void lists_the_presets_first_with_their_stages_and_recipients() {
    JsonNode all = as(Role.READONLY).get("/api/v1/policies").json();

    assertThat(all.get(0).get("name").asString()).isEqualTo("appliance");
    assertThat(all.get(0).get("built_in").asBoolean()).isTrue();
    assertThat(all.get(1).get("name").asString()).isEqualTo("subscription");
    JsonNode d15 = all.get(0).get("stages").get(1);
    assertThat(d15.get("id").asString()).isEqualTo("D-15");
    assertThat(d15.get("offset_days").asLong()).isEqualTo(-15);
    assertThat(d15.get("notify").toString())
        .isEqualTo("[\"customer\",\"account-team\",\"webhook\"]");
  }

  @Test
  void a_policy_that_grows_less_insistent_is_refused_naming_the_stage_and_nothing_is_saved() {
    String name = unique("quieter");
    Map<String, Object> body = partnerPolicy(30, "full");
    body.put(
        "reminders",
        List.of(
            reminder(15, "warning", "for-24h", "customer"),
            reminder(3, "info", "for-24h", "customer")));

    Api.Response r = admin().send("PUT", "/api/v1/policies/" + name, body);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("validation.failed");
    JsonNode error = r.json().get("errors").get(0);
    assertThat(error.get("field").asString()).isEqualTo("reminders");
    assertThat(error.get("message").asString())
        .isEqualTo(
            "reminder D-3 is less insistent than D-15; banners may only grow more insistent");
    assertThat(admin().get("/api/v1/policies/" + name).status()).isEqualTo(404);
  }

  @Test
  void unknown_words_are_field_errors() {
    Map<String, Object> body = partnerPolicy(30, "sideways");
    body.put("reminders", List.of(reminder(400, "loud", "for-24h", "sales")));

    Api.Response r = admin().send("PUT", "/api/v1/policies/" + unique("odd"), body);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("errors").findValuesAsString("field"))
        .contains("grace_mode", "reminders[0].banner", "reminders[0].notify");
  }

  @Test
  void the_presets_cannot_change_and_only_admins_write() {
    Api.Response preset =
        admin().send("PUT", "/api/v1/policies/appliance", partnerPolicy(9, "full"));
    assertThat(preset.status()).isEqualTo(409);
    assertThat(preset.code()).isEqualTo("policy.built_in");

    Api.Response sales =
        as(Role.SALES).send("PUT", "/api/v1/policies/" + unique("sales"), partnerPolicy(9, "full"));
    assertThat(sales.status()).isEqualTo(403);
  }

  @Test
  void a_subscription_names_an_existing_policy_and_a_policy_in_use_is_not_deleted() {
    Map<String, Object> unknown = subscription("Unknown Policy");
    unknown.put("policy_preset", "no-such-policy");
    Api.Response refused = as(Role.SALES).post("/api/v1/subscriptions", unknown);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("errors").get(0).get("field").asString())
        .isEqualTo("policy_preset");

    String name = unique("in-use");
    admin().send("PUT", "/api/v1/policies/" + name, partnerPolicy(30, "full"));
    Map<String, Object> body = subscription("Uses Policy");
    body.put("policy_preset", name);
    assertThat(as(Role.SALES).post("/api/v1/subscriptions", body).status()).isEqualTo(201);

    Api.Response inUse = admin().send("DELETE", "/api/v1/policies/" + name, null);
    assertThat(inUse.status()).isEqualTo(409);
    assertThat(inUse.code()).isEqualTo("policy.in_use");

    String unused = unique("unused");
    admin().send("PUT", "/api/v1/policies/" + unused, partnerPolicy(30, "full"));
    assertThat(admin().send("DELETE", "/api/v1/policies/" + unused, null).status()).isEqualTo(204);
    assertThat(admin().get("/api/v1/policies/" + unused).status()).isEqualTo(404);
    assertThat(
            admin()
                .get("/api/v1/events?type=policy.deleted")
                .json()
                .get(0)
                .get("metadata")
                .get("policy")
                .asString())
        .isEqualTo(unused);
  }

  @Test
  void a_tier_gives_its_new_subscriptions_its_policy_and_presets_stay_format_1() {
    String name = unique("gold");
    String tier = unique("gold-tier");
    Map<String, Object> policy = partnerPolicy(45, "read-only");
    policy.put("tiers", List.of(tier));
    assertThat(admin().send("PUT", "/api/v1/policies/" + name, policy).status()).isEqualTo(200);

    Map<String, Object> body = subscription("Gold Customer");
    body.put("tier", tier);
    Api.Response created = as(Role.SALES).post("/api/v1/subscriptions", body);
    assertThat(created.field("policy_preset")).isEqualTo(name);

    String plain = createSubscription("Plain Appliance");
    Api.Response issued = issue(as(Role.SALES), plain, Map.of("duration", "P30D", "notify", false));
    String text = admin().get("/api/v1/licenses/" + issued.field("id")).field("text");
    assertThat(text).contains("format = 1\n").contains("preset = \"appliance\"");
  }
}
