package dev.keyturn.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.ServerTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

abstract class ApiTokenTests extends ServerTest {

  @Test
  void a_token_is_shown_once_stored_hashed_and_stops_working_when_revoked() {
    as(Role.SALES); // makes sure the sales user exists
    Api owner = anonymous().as(Api.basic(username(Role.SALES), USER_PASSWORD));
    Api.Response created = owner.post("/api/v1/api-tokens", Map.of("name", "ci"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String token = created.field("token");
    assertThat(token).startsWith("kt_api_").hasSize("kt_api_".length() + 64);
    assertThat(created.field("role")).isEqualTo("SALES");

    Api withToken = anonymous().as(Api.bearer(token));
    assertThat(withToken.get("/api/v1/subscriptions").status()).isEqualTo(200);
    JsonNode listed = owner.get("/api/v1/api-tokens").json();
    assertThat(listed.toString()).doesNotContain(token.substring(7));

    Api.Response revoked =
        owner.post("/api/v1/api-tokens/" + created.field("id") + "/revoke", null);
    assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
    Api.Response after = withToken.get("/api/v1/subscriptions");
    assertThat(after.status()).isEqualTo(401);
    assertThat(after.code()).isEqualTo("auth.unauthenticated");
  }

  @Test
  void a_token_cannot_create_tokens_only_a_signed_in_person_can() {
    Api token = as(Role.ADMIN);
    Api.Response minted = token.post("/api/v1/api-tokens", Map.of("name", "child"));
    assertThat(minted.status()).as(minted.toString()).isEqualTo(403);
    assertThat(minted.code()).isEqualTo("auth.forbidden");
    assertThat(minted.field("detail")).contains("signed-in person");
    assertThat(admin().get("/api/v1/api-tokens").body()).doesNotContain("\"child\"");
  }

  @Test
  void a_token_is_scoped_to_its_role_and_cannot_be_widened() {
    as(Role.SUPPORT);
    Api support = anonymous().as(Api.basic(username(Role.SUPPORT), USER_PASSWORD));
    Api.Response wider = support.post("/api/v1/api-tokens", Map.of("name", "x", "role", "SALES"));
    assertThat(wider.status()).isEqualTo(403);
    assertThat(wider.code()).isEqualTo("auth.forbidden");

    Api.Response narrower =
        support.post("/api/v1/api-tokens", Map.of("name", "reader", "role", "READONLY"));
    assertThat(narrower.status()).isEqualTo(201);
    Api reader = anonymous().as(Api.bearer(narrower.field("token")));
    assertThat(
            reader
                .patch(
                    "/api/v1/subscriptions/" + createSubscription("Scope Corp"),
                    Map.of("contacts", Map.of()))
                .status())
        .isEqualTo(403);
  }

  @Test
  void wrong_passwords_and_unknown_tokens_get_401_problems() {
    Api.Response password = anonymous().as(Api.basic("admin", "wrong")).get("/api/v1/events");
    Api.Response token =
        anonymous().as(Api.bearer("kt_api_" + "0".repeat(64))).get("/api/v1/events");
    for (Api.Response r : new Api.Response[] {password, token}) {
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(r.code()).isEqualTo("auth.unauthenticated");
    }
  }

  @Test
  void admins_create_users_with_hashed_passwords_and_validated_fields() {
    Api admin = admin();
    Api.Response weak =
        admin.post(
            "/api/v1/users", Map.of("username", "weak", "password", "short", "role", "SALES"));
    assertThat(weak.status()).isEqualTo(400);
    assertThat(weak.json().get("errors").get(0).get("field").asString()).isEqualTo("password");

    Api.Response created =
        admin.post(
            "/api/v1/users",
            Map.of("username", "carol", "password", "a-long-password", "role", "READONLY"));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body()).doesNotContain("a-long-password").doesNotContain("password_hash");
    assertThat(
            anonymous().as(Api.basic("carol", "a-long-password")).get("/api/v1/licenses").status())
        .isEqualTo(200);
    Api.Response duplicate =
        admin.post(
            "/api/v1/users",
            Map.of("username", "carol", "password", "a-long-password", "role", "READONLY"));
    assertThat(duplicate.status()).isEqualTo(409);
  }

  @Test
  void a_disabled_user_can_sign_in_neither_with_a_password_nor_with_a_token() {
    Api admin = admin();
    admin.post(
        "/api/v1/users",
        Map.of("username", "dave", "password", "dave-long-password", "role", "SALES"));
    Api dave = anonymous().as(Api.basic("dave", "dave-long-password"));
    String token = dave.post("/api/v1/api-tokens", Map.of("name", "cli")).field("token");

    Api.Response disabled = admin.post("/api/v1/users/dave/disable", null);
    assertThat(disabled.status()).as(disabled.toString()).isEqualTo(200);
    assertThat(disabled.json().get("disabled_at").isNull()).isFalse();

    assertThat(dave.get("/api/v1/subscriptions").status()).isEqualTo(401);
    assertThat(anonymous().as(Api.bearer(token)).get("/api/v1/subscriptions").status())
        .isEqualTo(401);
    assertThat(admin.post("/api/v1/users/admin/disable", null).status()).isEqualTo(409);
    assertThat(admin.get("/api/v1/events?type=user.disabled&limit=1").json()).hasSize(1);
  }
}
