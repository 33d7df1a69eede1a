package dev.keyturn.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.usage.AuditChain;
import dev.keyturn.core.usage.MonthlyUsage;
import dev.keyturn.core.usage.UsageReport;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.ConsoleSession;
import dev.keyturn.server.support.ServerTest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 18 on the pages: the usage chart on the console's subscription page and in the portal, the
 * console's usage page (installations and nodes, true-up, CSV, report upload), and releasing an
 * installation from the console and from the portal, each audited.
 */
abstract class UsagePagesTests extends ServerTest {
  @Autowired SignInTokens tokens;

  private Api.Response licensedSubscription(String name, String contact) {
    Map<String, Object> body = subscription(name);
    body.put("contacts", Map.of("admin_emails", List.of(contact), "billing_emails", List.of()));
    Api.Response created = as(Role.SALES).post("/api/v1/subscriptions", body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return issued(created.field("id"), "P365D");
  }

  private void checkIn(Api.Response license, String instance, String node, long users) {
    Map<String, Object> report =
        Map.of(
            "license_id",
            license.field("id"),
            "instance_id",
            instance,
            "node",
            node,
            "usage",
            Map.of("users", users));
    Api.Response r =
        anonymous()
            .as(Api.bearer(licenseToken(license.field("text"))))
            .post("/api/v1/check-in", report);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  private ConsoleSession staff(Role role) {
    return role == Role.ADMIN
        ? ConsoleSession.signIn(port, "admin", ADMIN_PASSWORD)
        : ConsoleSession.signIn(port, username(role), USER_PASSWORD);
  }

  @Test
  void
      the_console_shows_usage_installations_and_the_true_up_and_support_releases_an_installation() {
    as(Role.SUPPORT); // makes the SUPPORT user
    as(Role.READONLY);
    Api.Response license = licensedSubscription("Pages Corp", "ops@pages.example");
    String sub = license.field("subscription_id");
    checkIn(license, "pages-cluster", "node-a", 120);
    checkIn(license, "pages-cluster", "node-b", 260);

    ConsoleSession console = staff(Role.SUPPORT);
    String page = console.get("/console/subscriptions/" + sub).body();
    assertThat(page)
        .contains("id=\"usage-chart\"")
        .contains("data-limit=\"users\"")
        .contains("<svg");
    assertThat(page).contains("users: peak 260, licensed 250");

    String usage = console.get("/console/subscriptions/" + sub + "/usage").body();
    assertThat(usage)
        .contains("data-installation=\"pages-cluster\"")
        .contains("node-a")
        .contains("node-b")
        .contains("2 node(s)")
        .contains("id=\"true-up\"")
        .contains("data-limit=\"users\"");
    HttpResponse<String> csv = console.get("/console/subscriptions/" + sub + "/true-up.csv");
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    assertThat(csv.body()).contains("users,250,peak,260,10");
    assertThat(console.get("/console/subscriptions/" + sub + "/usage.csv").body())
        .startsWith("day,limit,max\r\n")
        .contains(",users,260\r\n");

    // READONLY may look, not release.
    ConsoleSession reader = staff(Role.READONLY);
    String readerToken = reader.csrfOf("/console/subscriptions/" + sub + "/usage");
    HttpResponse<String> refused =
        reader.post(
            "/console/subscriptions/" + sub + "/installations/release",
            Map.of("installation", "pages-cluster", "reason", "x", "_csrf", readerToken));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(admin().get("/api/v1/subscriptions/" + sub).field("bound_instance_id"))
        .isEqualTo("pages-cluster");

    String token = console.csrfOf("/console/subscriptions/" + sub + "/usage");
    HttpResponse<String> released =
        console.post(
            "/console/subscriptions/" + sub + "/installations/release",
            Map.of("installation", "pages-cluster", "reason", "cluster rebuilt", "_csrf", token));
    assertThat(released.statusCode()).isEqualTo(302);
    assertThat(admin().get("/api/v1/subscriptions/" + sub).json().get("bound_instance_id").isNull())
        .isTrue();
    var events = admin().get("/api/v1/events?type=instance.released&subscription_id=" + sub).json();
    assertThat(events).hasSize(1);
    assertThat(events.get(0).get("actor").asString()).isEqualTo(username(Role.SUPPORT));
  }

  @Test
  void staff_upload_a_usage_report_in_the_console_and_a_bad_file_changes_nothing()
      throws Exception {
    Api.Response license = licensedSubscription("Upload Corp", "ops@upload.example");
    String sub = license.field("subscription_id");
    KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    YearMonth month = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
    byte[] file =
        new UsageReport(
                license.field("id"),
                "air-console",
                key.getPublic(),
                1,
                clock.instant(),
                List.of(new MonthlyUsage(month, Map.of("users", 77L))),
                new AuditChain(0, AuditChain.EMPTY_HASH))
            .sign(key.getPrivate())
            .toJson()
            .getBytes(StandardCharsets.UTF_8);

    ConsoleSession console = staff(Role.ADMIN);
    String path = "/console/subscriptions/" + sub + "/usage";
    HttpResponse<String> bad =
        console.postFile(
            "/console/subscriptions/" + sub + "/usage-reports",
            Map.of("_csrf", console.csrfOf(path)),
            "report",
            "usage.json",
            "{\"format\":\"nope\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(bad.statusCode()).isEqualTo(302);
    assertThat(console.get(path).body()).contains("Not imported (usage_report.");
    assertThat(as(Role.READONLY).get("/api/v1/subscriptions/" + sub + "/usage-reports").json())
        .isEmpty();

    HttpResponse<String> ok =
        console.postFile(
            "/console/subscriptions/" + sub + "/usage-reports",
            Map.of("_csrf", console.csrfOf(path)),
            "report",
            "usage.json",
            file);
    assertThat(ok.statusCode()).isEqualTo(302);
    String after = console.get(path).body();
    assertThat(after).contains("Usage report 1 of installation air-console imported");
    assertThat(after).contains("<code>air-console</code>");
    assertThat(as(Role.READONLY).get("/api/v1/subscriptions/" + sub + "/usage-reports").json())
        .hasSize(1);
  }

  /** A portal session of the contact, signed in as the mailed link would. */
  private ConsoleSession portal(String email) {
    ConsoleSession browser = ConsoleSession.anonymous(port);
    String token = tokens.issue(email);
    String csrf = browser.csrfOf("/portal/sign-in?token=" + token);
    HttpResponse<String> r =
        browser.post("/portal/sign-in", Map.of("token", token, "zone", "UTC", "_csrf", csrf));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
    return browser;
  }

  @Test
  void a_contact_sees_the_usage_chart_in_the_portal_and_releases_the_installation() {
    String email = "ops@portal-usage-" + System.nanoTime() % 100000 + ".example";
    Api.Response license =
        licensedSubscription("Portal Usage Corp", email.toLowerCase(Locale.ROOT));
    String sub = license.field("subscription_id");
    checkIn(license, "portal-inst", "node-1", 30);

    ConsoleSession contact = portal(email);
    String page = contact.get("/portal/subscriptions/" + sub).body();
    assertThat(page)
        .contains("id=\"usage-chart\"")
        .contains("data-limit=\"users\"")
        .contains("data-installation=\"portal-inst\"")
        .contains("node-1");

    String csrf = contact.csrfOf("/portal/subscriptions/" + sub);
    HttpResponse<String> r =
        contact.post(
            "/portal/subscriptions/" + sub + "/installations/release",
            Map.of("installation", "portal-inst", "reason", "server replaced", "_csrf", csrf));
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(admin().get("/api/v1/subscriptions/" + sub).json().get("bound_instance_id").isNull())
        .isTrue();
    var events = admin().get("/api/v1/events?type=instance.released&subscription_id=" + sub).json();
    assertThat(events).hasSize(1);
    assertThat(events.get(0).get("actor").asString()).isEqualTo("contact:" + email);

    // Another subscription's installation cannot be released from this contact's session.
    Api.Response other = licensedSubscription("Not Theirs Corp", "ops@not-theirs.example");
    checkIn(other, "theirs", "n", 1);
    HttpResponse<String> foreign =
        contact.post(
            "/portal/subscriptions/" + other.field("subscription_id") + "/installations/release",
            Map.of("installation", "theirs", "reason", "x", "_csrf", csrf));
    assertThat(foreign.statusCode()).isIn(403, 404);
    assertThat(
            admin()
                .get("/api/v1/subscriptions/" + other.field("subscription_id"))
                .field("bound_instance_id"))
        .isEqualTo("theirs");
  }
}
