package dev.keyturn.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.ConsoleSession;
import dev.keyturn.server.support.ServerTest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Disabling a user or changing their role applies on their very next request, everywhere. */
abstract class StaffRevocationTests extends ServerTest {

  private String newUser(Role role) {
    String username = "revoke-" + System.nanoTime();
    Api.Response created =
        admin()
            .post(
                "/api/v1/users",
                Map.of("username", username, "password", USER_PASSWORD, "role", role));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return username;
  }

  private Api tokenOf(String username, Role role) {
    Api.Response made =
        anonymous()
            .as(Api.basic(username, USER_PASSWORD))
            .post("/api/v1/api-tokens", Map.of("name", "script", "role", role));
    assertThat(made.status()).as(made.toString()).isEqualTo(201);
    return anonymous().as(Api.bearer(made.field("token")));
  }

  @Test
  void a_disabled_user_loses_a_console_session_signed_in_before_and_every_token() {
    String username = newUser(Role.SALES);
    ConsoleSession console = ConsoleSession.signIn(port, username, USER_PASSWORD);
    Api token = tokenOf(username, Role.SALES);
    assertThat(console.get("/console/subscriptions/new").statusCode()).isEqualTo(200);
    assertThat(token.get("/api/v1/subscriptions").status()).isEqualTo(200);

    assertThat(admin().post("/api/v1/users/" + username + "/disable", null).status())
        .isEqualTo(200);

    HttpResponse<String> page = console.get("/console/subscriptions/new");
    assertThat(page.statusCode()).isEqualTo(302);
    assertThat(page.headers().firstValue("Location").orElse("")).contains("/console/login");
    assertThat(console.get("/console").statusCode()).isEqualTo(302);
    assertThat(token.get("/api/v1/subscriptions").status()).isEqualTo(401);
    assertThat(
            anonymous()
                .as(Api.basic(username, USER_PASSWORD))
                .get("/api/v1/subscriptions")
                .status())
        .isEqualTo(401);
  }

  @Test
  void a_changed_role_applies_to_open_sessions_and_ends_tokens_of_the_old_role() {
    String username = newUser(Role.SALES);
    ConsoleSession console = ConsoleSession.signIn(port, username, USER_PASSWORD);
    Api salesToken = tokenOf(username, Role.SALES);
    Api readonlyToken = tokenOf(username, Role.READONLY);
    String sub = createSubscription("Demoted Corp " + System.nanoTime());
    assertThat(console.get("/console/subscriptions/new").statusCode()).isEqualTo(200);

    Api.Response changed =
        admin().send("PUT", "/api/v1/users/" + username + "/role", Map.of("role", "SUPPORT"));
    assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
    assertThat(changed.field("role")).isEqualTo("SUPPORT");

    assertThat(console.get("/console/subscriptions/new").statusCode()).isEqualTo(403);
    assertThat(console.get("/console/subscriptions/" + sub).statusCode()).isEqualTo(200);
    assertThat(salesToken.get("/api/v1/subscriptions").status()).isEqualTo(401);
    assertThat(readonlyToken.get("/api/v1/subscriptions").status()).isEqualTo(200);
    var events = admin().get("/api/v1/events?type=user.role_changed").json();
    assertThat(events.toString()).contains(username).contains("\"to\":\"SUPPORT\"");
  }

  @Test
  void an_admin_cannot_change_their_own_role_and_a_role_is_required() {
    assertThat(admin().send("PUT", "/api/v1/users/admin/role", Map.of("role", "READONLY")).status())
        .isEqualTo(409);
    Api.Response missing = admin().send("PUT", "/api/v1/users/admin/role", Map.of());
    assertThat(missing.status()).isEqualTo(400);
    assertThat(admin().get("/api/v1/users").status()).isEqualTo(200);
  }
}
