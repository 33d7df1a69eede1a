package dev.keyturn.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.OnH2;
import dev.keyturn.server.support.ServerTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The server refuses what a role may not do even when the form is posted by hand (the page hides
 * the control as a courtesy only), and a refusal changes nothing.
 */
@OnH2
class ConsoleRefusalsH2Test extends ServerTest {

  private ConsoleSession console(Role role) {
    as(role); // makes the user once per server
    return ConsoleSession.signIn(port, username(role), USER_PASSWORD);
  }

  private String nextYear() {
    return LocalDate.ofInstant(clock.instant().plus(Duration.ofDays(400)), ZoneOffset.UTC)
        .toString();
  }

  @Test
  void a_support_user_posting_a_payment_by_hand_is_refused_and_nothing_is_recorded() {
    String id = createSubscription("Refuse Payment " + System.nanoTime());
    ConsoleSession support = console(Role.SUPPORT);
    String csrf = support.csrf("/console/subscriptions/" + id);

    HttpResponse<String> r =
        support.post(
            "/console/subscriptions/" + id + "/payments",
            Map.of("paidThrough", nextYear(), "reference", "PO-HAND"),
            csrf);

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(admin().get("/api/v1/subscriptions/" + id).json().get("paid_through").isNull())
        .isTrue();
    assertThat(admin().get("/api/v1/licenses?subscription_id=" + id).json()).isEmpty();
    assertThat(
            admin().get("/api/v1/events?subscription_id=" + id + "&type=payment.recorded").json())
        .isEmpty();
  }

  @Test
  void a_sales_user_posting_a_payment_by_hand_records_it_as_themselves() {
    String id = createSubscription("Hand Payment " + System.nanoTime());
    ConsoleSession sales = console(Role.SALES);
    HttpResponse<String> r =
        sales.post(
            "/console/subscriptions/" + id + "/payments",
            Map.of("paidThrough", nextYear(), "reference", "PO-OK"),
            sales.csrf("/console/subscriptions/" + id));
    assertThat(r.statusCode()).isEqualTo(302);
    var events =
        admin().get("/api/v1/events?subscription_id=" + id + "&type=payment.recorded").json();
    assertThat(events).hasSize(1);
    assertThat(events.get(0).get("actor").asString()).isEqualTo("sales-user");
    assertThat(admin().get("/api/v1/licenses?subscription_id=" + id).json()).hasSize(1);
  }

  @Test
  void a_form_posted_without_the_csrf_token_is_refused() {
    String id = createSubscription("Refuse Csrf " + System.nanoTime());
    ConsoleSession sales = console(Role.SALES);
    HttpResponse<String> r =
        sales.post(
            "/console/subscriptions/" + id + "/payments",
            Map.of("paidThrough", nextYear(), "reference", "PO-NOCSRF"),
            null);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(admin().get("/api/v1/licenses?subscription_id=" + id).json()).isEmpty();
  }

  @Test
  void an_engineer_posting_a_30_day_license_by_hand_is_refused_with_the_reason() {
    String id = createSubscription("Refuse Engineer " + System.nanoTime());
    ConsoleSession engineer = console(Role.ENGINEER);
    String path = "/console/subscriptions/" + id + "/issue";
    HttpResponse<String> r =
        engineer.post(path, Map.of("days", "30", "step", "sign"), engineer.csrf(path));
    assertThat(r.body()).contains("Nothing was issued").contains("at most 7 days");
    assertThat(admin().get("/api/v1/licenses?subscription_id=" + id).json()).isEmpty();
  }

  @Test
  void a_support_user_may_change_contacts_but_not_the_tier_even_by_hand() {
    String id = createSubscription("Refuse Tier " + System.nanoTime());
    ConsoleSession support = console(Role.SUPPORT);
    String path = "/console/subscriptions/" + id;

    HttpResponse<String> tier = support.post(path, Map.of("tier", "large"), support.csrf(path));
    assertThat(tier.statusCode()).isEqualTo(302);
    assertThat(admin().get(path.replace("/console", "/api/v1")).json().get("tier").asString())
        .isEqualTo("medium");
    assertThat(support.get(path).body()).contains("Not saved").contains("tier");

    HttpResponse<String> contacts =
        support.post(path, Map.of("adminEmails", "new-admin@example.com"), support.csrf(path));
    assertThat(contacts.statusCode()).isEqualTo(302);
    assertThat(
            admin()
                .get(path.replace("/console", "/api/v1"))
                .json()
                .get("contacts")
                .get("admin_emails")
                .get(0)
                .asString())
        .isEqualTo("new-admin@example.com");
  }

  @Test
  void a_license_downloads_as_its_exact_signed_file() {
    String id = createSubscription("Download " + System.nanoTime());
    var license = issued(id, "P30D");
    ConsoleSession support = console(Role.SUPPORT);
    HttpResponse<String> r = support.get("/console/licenses/" + license.field("id") + "/download");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Disposition").orElseThrow())
        .contains(license.field("id") + ".license.toml");
    assertThat(r.body()).isEqualTo(license.field("text"));
  }

  @Test
  void a_refused_edit_shows_the_stored_values_of_the_fields_it_left_out() {
    String id = createSubscription("Refused Edit " + System.nanoTime());
    ConsoleSession support = console(Role.SUPPORT);
    String path = "/console/subscriptions/" + id;
    support.post(path, Map.of("adminEmails", "not-an-address"), support.csrf(path));
    String page = support.get(path).body();
    assertThat(page).contains("Not saved").contains("not-an-address");
    assertThat(page).contains("value=\"medium\"");
  }

  @Test
  void an_engineer_may_not_revoke_archive_or_clean_up() {
    String id = createSubscription("Refuse Revoke " + System.nanoTime());
    String license = issued(id, "P30D").field("id");
    ConsoleSession engineer = console(Role.ENGINEER);
    String csrf = engineer.csrf("/console/subscriptions/" + id);
    assertThat(
            engineer
                .post("/console/licenses/" + license + "/revoke", Map.of("reason", "x"), csrf)
                .statusCode())
        .isEqualTo(403);
    assertThat(
            engineer
                .post(
                    "/console/subscriptions/" + id + "/archive",
                    Map.of("reason", "x", "confirmName", "Refuse Revoke"),
                    csrf)
                .statusCode())
        .isEqualTo(403);
    assertThat(
            engineer
                .post(
                    "/console/cleanup",
                    Map.of("licenseIds", license, "reason", "x", "action", "revoke"),
                    csrf)
                .statusCode())
        .isEqualTo(403);
    assertThat(admin().get("/api/v1/licenses/" + license).json().get("revoked").asBoolean())
        .isFalse();
    assertThat(admin().get("/api/v1/subscriptions/" + id).json().get("archived_at").isNull())
        .isTrue();
  }

  @Test
  void archiving_needs_the_typed_name_and_then_revokes_every_license() {
    String name = "Archive Me " + System.nanoTime();
    String id = createSubscription(name);
    String license = issued(id, "P30D").field("id");
    ConsoleSession sales = console(Role.SALES);
    String path = "/console/subscriptions/" + id + "/archive";

    sales.post(path, Map.of("reason", "churned", "confirmName", "wrong"), sales.csrf(path));
    assertThat(admin().get("/api/v1/subscriptions/" + id).json().get("archived_at").isNull())
        .isTrue();

    sales.post(path, Map.of("reason", "churned", "confirmName", name), sales.csrf(path));
    assertThat(admin().get("/api/v1/subscriptions/" + id).json().get("archived_at").isNull())
        .isFalse();
    assertThat(admin().get("/api/v1/licenses/" + license).json().get("revoked").asBoolean())
        .isTrue();
    assertThat(
            admin()
                .get("/api/v1/events?subscription_id=" + id + "&type=subscription.archived")
                .json()
                .get(0)
                .get("actor")
                .asString())
        .isEqualTo("sales-user");
  }
}
