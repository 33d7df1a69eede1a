package dev.keyturn.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.ConsoleSession;
import dev.keyturn.server.support.ServerTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The console's forms and frames over plain HTTP, as a hand-made client would post them. */
abstract class ConsoleFormsTests extends ServerTest {

  private ConsoleSession signedIn(Role role) {
    as(role); // makes the user once per server
    return role == Role.ADMIN
        ? ConsoleSession.signIn(port, "admin", ADMIN_PASSWORD)
        : ConsoleSession.signIn(port, username(role), USER_PASSWORD);
  }

  @Test
  void a_form_posted_without_the_csrf_token_is_refused_and_changes_nothing() {
    ConsoleSession admin = signedIn(Role.ADMIN);
    String before = admin().get("/api/v1/api-tokens").body();
    String keys = admin().get("/api/v1/signing-keys").body();

    HttpResponse<String> token =
        admin.post("/console/tokens", Map.of("name", "no-csrf", "role", "ADMIN"));
    HttpResponse<String> rotate =
        admin.post("/console/admin/signing-keys/rotate", Map.of("confirm", "yes"));
    HttpResponse<String> user =
        admin.post(
            "/console/admin/users",
            Map.of(
                "username", "no-csrf-user", "password", "long-enough-password", "role", "ADMIN"));

    assertThat(token.statusCode()).isEqualTo(403);
    assertThat(rotate.statusCode()).isEqualTo(403);
    assertThat(user.statusCode()).isEqualTo(403);
    assertThat(admin().get("/api/v1/api-tokens").body()).isEqualTo(before);
    assertThat(admin().get("/api/v1/signing-keys").body()).isEqualTo(keys);
    assertThat(admin().get("/api/v1/users").body()).doesNotContain("no-csrf-user");

    // The same post with the page's token goes through.
    String csrf = admin.csrfOf("/console/tokens");
    HttpResponse<String> ok =
        admin.post("/console/tokens", Map.of("name", "with-csrf", "role", "ADMIN", "_csrf", csrf));
    assertThat(ok.statusCode()).isEqualTo(302);
    assertThat(admin().get("/api/v1/api-tokens").body()).contains("with-csrf");
  }

  @Test
  void the_timeline_lists_the_notices_the_sweep_claimed() {
    String sub = createSubscription("Timeline Notices Corp");
    issued(sub, "P5D"); // issuance applies the lifecycle at once: D-7 is crossed already
    ConsoleSession support = signedIn(Role.SUPPORT);
    String page = support.get("/console/subscriptions/" + sub).body();
    assertThat(page).contains("notice D-7 (email)").contains("system:sweep");
  }

  @Test
  void rotating_without_the_confirmation_is_refused_and_keeps_the_key() {
    ConsoleSession admin = signedIn(Role.ADMIN);
    String keys = admin().get("/api/v1/signing-keys").body();
    String csrf = admin.csrfOf("/console/admin");
    HttpResponse<String> r =
        admin.post("/console/admin/signing-keys/rotate", Map.of("_csrf", csrf));
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(admin.get("/console/admin").body()).contains("tick the box to confirm");
    assertThat(admin().get("/api/v1/signing-keys").body()).isEqualTo(keys);
  }

  @Test
  void a_role_refused_a_console_action_by_the_url_rules_changes_nothing() {
    String sub = createSubscription("Refused Retry Corp");
    issued(sub, "P30D");
    JsonNode delivery = admin().get("/api/v1/deliveries?subscription_id=" + sub).json().get(0);
    ConsoleSession support = signedIn(Role.SUPPORT);
    String csrf = support.csrfOf("/console/tokens");
    HttpResponse<String> retry =
        support.post(
            "/console/deliveries/" + delivery.get("id").asLong() + "/retry", Map.of("_csrf", csrf));
    HttpResponse<String> clock =
        support.post("/console/admin/test-clock/advance", Map.of("amount", "30", "_csrf", csrf));
    assertThat(retry.statusCode()).isEqualTo(403);
    assertThat(clock.statusCode()).isEqualTo(403);
    assertThat(support.get("/console/webhooks").statusCode()).isEqualTo(403);
  }

  @Test
  void a_mails_html_is_served_sandboxed_and_its_attachments_only_as_downloads() {
    String sub = createSubscription("Frame Corp");
    issued(sub, "P30D");
    Api.Response paid =
        as(Role.SALES)
            .post(
                "/api/v1/subscriptions/" + sub + "/payments",
                Map.of(
                    "reference",
                    "PO-5",
                    "paid_through",
                    clock.instant().plus(Duration.ofDays(200)).toString()));
    assertThat(paid.status()).as(paid.toString()).isEqualTo(201);
    long mail = -1;
    for (JsonNode d : admin().get("/api/v1/deliveries?subscription_id=" + sub).json()) {
      if (d.get("event_type").asString().equals("license.renewed")) {
        mail = d.get("id").asLong();
      }
    }
    assertThat(mail).isPositive();

    ConsoleSession reader = signedIn(Role.READONLY);
    String log = reader.get("/console/mail?type=license.renewed&subscription=" + sub).body();
    assertThat(log).contains("Your renewed Frame Corp license", "ops@example.com");
    assertThat(reader.get("/console/mail?status=DEAD&subscription=" + sub).body())
        .doesNotContain("Your renewed Frame Corp license");
    for (String path :
        new String[] {"/console/mail/" + mail + "/html", "/console/mail/templates/expired/html"}) {
      HttpResponse<String> frame = reader.get(path);
      assertThat(frame.statusCode()).isEqualTo(200);
      assertThat(frame.headers().firstValue("Content-Security-Policy").orElseThrow())
          .contains("sandbox", "default-src 'none'", "frame-ancestors 'self'")
          .doesNotContain("script-src");
      assertThat(frame.headers().firstValue("X-Frame-Options")).contains("SAMEORIGIN");
    }
    // The page around it keeps the console's strict policy and frames nothing but itself.
    HttpResponse<String> page = reader.get("/console/mail/" + mail);
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("default-src 'self'", "frame-ancestors 'none'");
    assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
    assertThat(page.body()).contains("<iframe").contains("sandbox=\"\"");

    HttpResponse<String> license = reader.get("/console/mail/" + mail + "/attachments/0");
    assertThat(license.statusCode()).isEqualTo(200);
    assertThat(license.headers().firstValue("Content-Disposition").orElseThrow())
        .startsWith("attachment")
        .contains(paid.field("license_id") + ".license.toml");
    assertThat(license.headers().firstValue("Content-Type")).contains("application/octet-stream");
    assertThat(license.body()).contains("[license]", "[signature]");
    assertThat(reader.get("/console/mail/" + mail + "/attachments/9").statusCode()).isEqualTo(404);
  }
}
