package dev.keyturn.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.security.Role;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * What the portal keeps apart: customers from each other, contacts from staff pages and the API,
 * staff from the portal; and what its sign-in gives away (nothing) and lets through (a fresh link,
 * once).
 */
class PortalIsolationBrowserTest extends PortalBrowserSupport {

  @Test
  void a_second_customers_contact_sees_nothing_of_the_first() throws Exception {
    String first = subscriptionWith("First Corp", List.of("ops@first.example"), false);
    String firstLicense = issued(first, "P90D").field("id");
    String second = subscriptionWith("Second Corp", List.of("ops@second.example"), false);
    String secondLicense = issued(second, "P90D").field("id");

    signInByMail("ops@second.example");
    assertThat(pageText()).contains("Second Corp").doesNotContain("First Corp");

    HttpResponse<String> notFound =
        withBrowserSession("GET", "/portal/subscriptions/sub_does_not_exist");
    for (String path :
        List.of(
            "/portal/subscriptions/" + first,
            "/portal/subscriptions/" + first + "/licenses/" + firstLicense + "/download",
            "/portal/subscriptions/" + second + "/licenses/" + firstLicense + "/download",
            "/portal/subscriptions/" + first + "/billing")) {
      HttpResponse<String> r = withBrowserSession("GET", path);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(r.body()).as(path).doesNotContain("First Corp").doesNotContain(firstLicense);
      // Not found reads the same as for an id that never existed.
      assertThat(r.body()).contains("There is no such page among your subscriptions.");
    }
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(
            withBrowserSession(
                    "GET",
                    "/portal/subscriptions/" + second + "/licenses/" + secondLicense + "/download")
                .statusCode())
        .isEqualTo(200);

    open("/portal/subscriptions/" + first);
    assertThat(driver.getTitle()).isEqualTo("Not found · Keyturn customer portal");
    assertThat(pageText()).doesNotContain("First Corp");
  }

  @Test
  void staff_reading_the_mail_log_never_see_a_sign_in_token() throws Exception {
    subscriptionWith("Mail Log Corp", List.of("ops@maillog.example"), false);
    String link = linkFromMail("ops@maillog.example");
    String token = link.substring(link.indexOf("token=") + "token=".length());

    var mails = as(Role.READONLY).get("/api/v1/mails?recipient=ops@maillog.example");
    assertThat(mails.status()).isEqualTo(200);
    assertThat(mails.body()).contains("[hidden: one-time link]").doesNotContain(token);

    signInAs(Role.READONLY);
    open("/console/mail?recipient=ops@maillog.example");
    driver.findElement(By.partialLinkText("sign-in link")).click();
    waitUntil(d -> pageText().contains("[hidden: one-time link]"));
    assertThat(driver.getPageSource()).doesNotContain(token);
  }

  @Test
  void signing_in_gives_the_browser_a_new_session_id() throws Exception {
    subscriptionWith("Fixation Corp", List.of("ops@fixation.example"), false);
    String link = linkFromMail("ops@fixation.example");
    open(link);
    String before = driver.manage().getCookieNamed("JSESSIONID").getValue();
    driver.findElement(By.id("continue")).click();
    waitUntil(d -> d.getCurrentUrl().endsWith("/portal/subscriptions"));
    assertThat(driver.manage().getCookieNamed("JSESSIONID").getValue()).isNotEqualTo(before);
  }

  @Test
  void a_contact_taken_off_a_subscription_loses_it_at_once() throws Exception {
    String sub =
        subscriptionWith(
            "Leaver Corp", List.of("stays@leaver.example", "goes@leaver.example"), false);
    signInByMail("goes@leaver.example");
    assertThat(withBrowserSession("GET", "/portal/subscriptions/" + sub).statusCode())
        .isEqualTo(200);
    var patched =
        as(Role.SALES)
            .patch(
                "/api/v1/subscriptions/" + sub,
                Map.of(
                    "contacts",
                    Map.of(
                        "admin_emails", List.of("stays@leaver.example"),
                        "billing_emails", List.of())));
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    assertThat(withBrowserSession("GET", "/portal/subscriptions/" + sub).statusCode())
        .isEqualTo(404);
    open("/portal/subscriptions");
    assertThat(pageText()).doesNotContain("Leaver Corp");
  }

  @Test
  void a_portal_session_gets_nothing_from_the_console_or_the_api() throws Exception {
    String sub = subscriptionWith("Apart Corp", List.of("ops@apart.example"), false);
    signInByMail("ops@apart.example");

    open("/console");
    waitUntil(d -> d.getCurrentUrl().endsWith("/console/login"));
    open("/console/subscriptions/" + sub);
    waitUntil(d -> d.getCurrentUrl().endsWith("/console/login"));
    for (String path :
        List.of(
            "/console",
            "/console/subscriptions",
            "/console/renewal-requests",
            "/api/v1/subscriptions",
            "/api/v1/subscriptions/" + sub,
            "/api/v1/licenses?subscription_id=" + sub,
            "/api/v1/renewal-requests",
            "/api/v1/events")) {
      HttpResponse<String> r = withBrowserSession("GET", path);
      assertThat(r.statusCode()).as(path).isIn(302, 401);
      assertThat(r.body()).as(path).doesNotContain("Apart Corp");
      if (r.statusCode() == 302) {
        assertThat(r.headers().firstValue("Location").orElseThrow()).endsWith("/console/login");
      }
    }
    // The portal session itself still works: it is the staff pages that refuse it.
    assertThat(withBrowserSession("GET", "/portal/subscriptions/" + sub).statusCode())
        .isEqualTo(200);
    // And its forms need their CSRF token.
    assertThat(
            withBrowserSession("POST", "/portal/subscriptions/" + sub + "/renewal-request")
                .statusCode())
        .isEqualTo(403);
    assertThat(admin().get("/api/v1/renewal-requests?subscription_id=" + sub).json().size())
        .isZero();
  }

  @Test
  void a_staff_console_session_gets_nothing_from_the_portal() throws Exception {
    String sub = subscriptionWith("Staff Corp", List.of("ops@staff.example"), false);
    signInAsAdmin();
    assertThat(driver.getTitle()).isEqualTo("Dashboard · Keyturn");

    open("/portal/subscriptions/" + sub);
    waitUntil(d -> d.getCurrentUrl().endsWith("/portal"));
    assertThat(first(By.id("email"))).isPresent();
    for (String path : List.of("/portal/subscriptions", "/portal/subscriptions/" + sub)) {
      HttpResponse<String> r = withBrowserSession("GET", path);
      assertThat(r.statusCode()).as(path).isEqualTo(302);
      assertThat(r.headers().firstValue("Location").orElseThrow()).endsWith("/portal");
    }
    // Signing in to the portal on the same browser leaves the staff session as it was.
    signInByMail("ops@staff.example");
    open("/console");
    waitUntil(d -> d.getTitle().equals("Dashboard · Keyturn"));
  }

  @Test
  void the_sign_in_page_answers_the_same_for_an_unknown_address_and_mails_nothing()
      throws Exception {
    subscriptionWith("Known Corp", List.of("ops@known.example"), false);
    testClock().advance(Duration.ofMinutes(4));
    String known = askForLink("ops@known.example");
    String unknown = askForLink("nobody@unknown.example");
    assertThat(unknown.replace("nobody@unknown.example", "ADDRESS"))
        .isEqualTo(known.replace("ops@known.example", "ADDRESS"));
    deliveries.runOnce();
    assertThat(mailsTo("ops@known.example", "sign-in link")).hasSize(1);
    assertThat(mailsTo("nobody@unknown.example", "")).isEmpty();
  }

  @Test
  void a_used_or_expired_link_is_refused() throws Exception {
    subscriptionWith("Once Corp", List.of("ops@once.example"), false);
    String link = signInByMail("ops@once.example");
    driver.manage().deleteAllCookies();

    follow(link);
    assertThat(driver.getCurrentUrl()).endsWith("/portal/sign-in");
    assertThat(driver.findElement(By.id("error")).getText())
        .contains("has expired or has been used already");
    open("/portal/subscriptions");
    waitUntil(d -> d.getCurrentUrl().endsWith("/portal"));

    String late = linkFromMail("ops@once.example");
    testClock().advance(SignInTokens.LIFETIME.plusSeconds(1));
    follow(late);
    assertThat(driver.findElement(By.id("error")).getText())
        .contains("has expired or has been used already");

    follow("/portal/sign-in?token=not-a-token-we-made");
    assertThat(driver.findElement(By.id("error")).getText())
        .contains("has expired or has been used already");
  }

  @Test
  void too_many_links_for_one_address_are_refused_with_a_plain_message() throws Exception {
    subscriptionWith("Flood Corp", List.of("ops@flood.example"), false);
    testClock().advance(SignInLimiter.WINDOW);
    try {
      for (int i = 0; i < SignInLimiter.PER_ADDRESS_AND_CLIENT; i++) {
        assertThat(askForLink("ops@flood.example")).contains("a sign-in link is on its way");
      }
      assertThat(askForLink("ops@flood.example"))
          .contains("Too many sign-in links were asked for this address or from your network");
      // Unknown addresses are limited alike, so the limit reveals nothing either.
      for (int i = 0; i < SignInLimiter.PER_ADDRESS_AND_CLIENT; i++) {
        askForLink("ghost@flood.example");
      }
      assertThat(askForLink("ghost@flood.example")).contains("Too many sign-in links");
      deliveries.runOnce();
      assertThat(mailsTo("ops@flood.example", "sign-in link"))
          .hasSize(SignInLimiter.PER_ADDRESS_AND_CLIENT);
    } finally {
      // The next test's sign-ins start with a fresh window.
      testClock().advance(SignInLimiter.WINDOW);
    }
  }

  @Test
  void too_many_links_from_one_network_are_refused() throws Exception {
    testClock().advance(SignInLimiter.WINDOW);
    try {
      for (int i = 0; i < SignInLimiter.PER_IP; i++) {
        assertThat(askForLink("probe" + i + "@probe.example")).contains("is on its way");
      }
      assertThat(askForLink("probe-last@probe.example")).contains("Too many sign-in links");
    } finally {
      testClock().advance(SignInLimiter.WINDOW);
    }
  }
}
