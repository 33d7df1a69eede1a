package dev.keyturn.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.cli.Cli;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.Api;
import jakarta.mail.internet.MimeMessage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** A customer's contact uses the portal, from the reminder mail to the renewed license. */
class PortalBrowserTest extends PortalBrowserSupport {
  @Autowired JdbcClient jdbc;
  @TempDir Path dir;

  @Test
  void from_a_d7_reminder_a_contact_signs_in_by_mail_and_sees_expires_in_7_days() throws Exception {
    String sub = subscriptionWith("Seven Corp", List.of("ops@seven.example"), /* stripe= */ false);
    Instant expires = Instant.parse(issued(sub, "P40D").field("expires_at"));
    testClock().set(expires.minus(Duration.ofDays(7)));
    sweep.run();
    deliveries.runOnce();
    List<MimeMessage> reminders = mailsTo("ops@seven.example", "expires in 7 day(s)");
    assertThat(reminders).hasSize(1);
    assertThat(text(reminders.get(0))).contains(PUBLIC_URL + "/portal");

    open("/portal");
    screenshot("portal-sign-in");
    // The viewer is in Tokyo: the browser says so at sign-in, and the pages' dates follow.
    driver.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", "Asia/Tokyo"));
    signInByMail("ops@seven.example");
    assertThat(driver.getTitle()).isEqualTo("Your subscriptions · Keyturn customer portal");
    assertThat(pageText()).contains("Seven Corp").contains("Expires in 7 days");

    driver.findElement(By.linkText("Seven Corp")).click();
    waitUntil(d -> first(By.id("headline")).isPresent());
    assertThat(driver.findElement(By.id("headline")).getText()).isEqualTo("Expires in 7 days");
    assertThat(driver.findElement(By.id("sentence")).getText())
        .startsWith("Your license expires in 7 days, on");
    assertThat(driver.findElement(By.id("next")).getText())
        .startsWith("Reminder: 1 day before expiry, on");
    assertThat(driver.findElement(By.id("next")).getText())
        .endsWith(StandingView.format(expires.minus(Duration.ofDays(1)), ZoneId.of("Asia/Tokyo")))
        .endsWith("JST");
    assertThat(pageText())
        .contains("medium")
        .contains("users 250")
        .contains("sso")
        .contains("tools.seven-corp.example");
    // No Stripe customer: the billing button is there, disabled, and says why.
    assertThat(driver.findElement(By.id("billing")).isEnabled()).isFalse();
    assertThat(driver.findElement(By.id("billing")).getCssValue("background-color"))
        .as("a filled grey button, not what looks like an empty text box")
        .isEqualTo("rgba(229, 231, 235, 1)");
    assertThat(pageText()).contains("Online payment is not set up for this subscription");
    screenshot("portal-subscription");
    driver.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", ""));
  }

  @Test
  void the_downloaded_license_verifies_with_keyturn_license_verify() throws Exception {
    String sub = subscriptionWith("Verify Corp", List.of("ops@verify.example"), false);
    Api.Response license = issued(sub, "P365D");
    signInByMail("ops@verify.example");
    open("/portal/subscriptions/" + sub);
    String href = driver.findElement(By.id("download")).getAttribute("href");
    assertThat(href).endsWith("/licenses/" + license.field("id") + "/download");

    HttpResponse<String> download =
        withBrowserSession("GET", href.substring(href.indexOf("/portal/")));
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.headers().firstValue("Content-Disposition").orElseThrow())
        .contains(license.field("id") + ".license.toml");
    assertThat(download.body()).isEqualTo(license.field("text"));

    Path file = Files.writeString(dir.resolve("downloaded.license.toml"), download.body());
    String keyId = license.field("key_id");
    Path key =
        Files.writeString(
            dir.resolve(keyId + ".public.pem"),
            anonymous().get("/api/v1/signing-keys/" + keyId + "/public.pem").body());
    StringWriter out = new StringWriter();
    var cli = Cli.commandLine(Clock.fixed(clock.instant(), ZoneOffset.UTC), new Random(1));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(out, true));
    int exit =
        cli.execute(
            "license",
            "verify",
            file.toString(),
            "--trust",
            key.toString(),
            "--instance-domain",
            "tools.verify-corp.example");
    assertThat(exit).as(out.toString()).isZero();
    assertThat(out.toString()).contains("VALID");

    JsonNode events = admin().get("/api/v1/events?subscription_id=" + sub).json();
    assertThat(events.toString())
        .contains("portal.license_downloaded")
        .contains("contact:ops@verify.example");
  }

  @Test
  void a_renewal_request_from_the_portal_lands_in_the_staff_queue() throws Exception {
    String sub = subscriptionWith("Renew Corp", List.of("ops@renew.example"), false);
    Api.Response license = issued(sub, "P30D");
    signInByMail("ops@renew.example");
    open("/portal/subscriptions/" + sub);
    assertThat(pageText()).contains("Renew Corp").contains("medium");
    driver.findElement(By.id("message")).sendKeys("Please renew for 100 more seats.");
    driver.findElement(By.id("send-renewal")).click();
    waitUntil(d -> first(By.cssSelector(".flash-ok")).isPresent());
    assertThat(pageText())
        .contains("our sales team has your renewal request")
        .contains("is with our sales team");

    JsonNode queue = as(Role.SUPPORT).get("/api/v1/renewal-requests?subscription_id=" + sub).json();
    assertThat(queue.size()).isEqualTo(1);
    JsonNode request = queue.get(0);
    assertThat(request.get("source").asString()).isEqualTo("PORTAL");
    assertThat(request.get("state").asString()).isEqualTo("OPEN");
    assertThat(request.get("created_by").asString()).isEqualTo("contact:ops@renew.example");
    assertThat(request.get("note").asString()).isEqualTo("Please renew for 100 more seats.");
    assertThat(request.get("license_id").asString()).isEqualTo(license.field("id"));
    assertThat(request.get("tier").asString()).isEqualTo("medium");
    assertThat(Instant.parse(request.get("expires_at").asString()))
        .isEqualTo(Instant.parse(license.field("expires_at")));
    assertThat(request.get("details").get("contact_email").asString())
        .isEqualTo("ops@renew.example");

    // Sending again does not queue a second request while the first is open.
    driver.findElement(By.id("send-renewal")).click();
    waitUntil(d -> pageText().contains("already with our sales team"));
    assertThat(
            as(Role.SUPPORT).get("/api/v1/renewal-requests?subscription_id=" + sub).json().size())
        .isEqualTo(1);

    // Sales records the payment; the renewed license is on the same page, the old one below it.
    Instant paidThrough = Instant.parse(license.field("expires_at")).plus(Duration.ofDays(365));
    Api.Response paid =
        as(Role.SALES)
            .post(
                "/api/v1/subscriptions/" + sub + "/payments",
                Map.of("reference", "PO-42", "paid_through", paidThrough.toString()));
    assertThat(paid.status()).as(paid.toString()).isEqualTo(201);
    open("/portal/subscriptions/" + sub);
    String renewed = driver.findElement(By.id("download")).getAttribute("href");
    assertThat(renewed).doesNotContain(license.field("id"));
    assertThat(driver.findElement(By.id("previous")).getText()).contains(license.field("id"));
    assertThat(driver.findElement(By.id("headline")).getText()).isEqualTo("Expires in 395 days");
  }

  @Test
  void a_muted_d30_reminder_is_skipped_by_the_sweep_while_d1_still_arrives() throws Exception {
    String sub =
        subscriptionWith("Mute Corp", List.of("quiet@mute.example", "loud@mute.example"), false);
    Instant expires = Instant.parse(issued(sub, "P40D").field("expires_at"));
    signInByMail("quiet@mute.example");
    open("/portal/subscriptions/" + sub);
    assertThat(driver.findElement(By.id("contacts")).getText())
        .contains("quiet@mute.example")
        .contains("loud@mute.example");
    driver.findElement(By.id("mute-0")).click();
    driver.findElement(By.id("save-0")).click();
    waitUntil(d -> first(By.cssSelector(".flash-ok")).isPresent());
    assertThat(pageText())
        .contains("quiet@mute.example no longer gets the early reminders (D-30, D-15)");
    assertThat(driver.findElement(By.id("mute-0")).isSelected()).isTrue();
    assertThat(driver.findElement(By.id("mute-1")).isSelected()).isFalse();

    // A forged form asking to mute the D-1 notice is refused, and changes nothing.
    driver.executeScript(
        "var box = document.getElementById('mute-1'); box.value = 'D-1'; box.checked = true;");
    driver.findElement(By.id("save-1")).click();
    waitUntil(d -> pageText().contains("only the early reminders (D-30, D-15) can be muted"));
    open("/portal/subscriptions/" + sub);
    assertThat(driver.findElement(By.id("mute-1")).isSelected()).isFalse();

    // Day D-30: the sweep mails the loud contact only.
    testClock().set(expires.minus(Duration.ofDays(30)));
    sweep.run();
    deliveries.runOnce();
    assertThat(mailsTo("loud@mute.example", "expires in 30 day(s)")).hasSize(1);
    assertThat(mailsTo("quiet@mute.example", "expires in 30 day(s)")).isEmpty();

    // Day D-1: both get the final reminder.
    testClock().set(expires.minus(Duration.ofDays(1)));
    sweep.run();
    deliveries.runOnce();
    assertThat(mailsTo("quiet@mute.example", "expires in 1 day(s)")).hasSize(1);
    assertThat(mailsTo("loud@mute.example", "expires in 1 day(s)")).hasSize(1);

    JsonNode events =
        admin()
            .get("/api/v1/events?subscription_id=" + sub + "&type=contact.preferences_changed")
            .json();
    assertThat(events.size()).isEqualTo(1);
    assertThat(events.get(0).get("actor").asString()).isEqualTo("contact:quiet@mute.example");
  }

  @Test
  void failing_payments_ask_for_a_new_card_through_the_billing_portal_link() throws Exception {
    String sub = subscriptionWith("Card Corp", List.of("billing@card.example"), true);
    issued(sub, "P30D");
    jdbc.sql("update subscriptions set payment_failing_since = ? where id = ?")
        .params(clock.instant().atOffset(ZoneOffset.UTC), sub)
        .update();
    signInByMail("billing@card.example");
    open("/portal/subscriptions/" + sub);
    assertThat(driver.findElement(By.id("payment-failing")).getText())
        .contains("Your last payment failed")
        .contains("update your card");
    assertThat(driver.findElement(By.id("billing")).getAttribute("href"))
        .endsWith("/portal/subscriptions/" + sub + "/billing");

    HttpResponse<String> billing =
        withBrowserSession("GET", "/portal/subscriptions/" + sub + "/billing");
    assertThat(billing.statusCode()).isEqualTo(302);
    assertThat(billing.headers().firstValue("Location").orElseThrow())
        .startsWith(PUBLIC_URL + "/billing/portal/" + sub + "?sig=");
    assertThat(admin().get("/api/v1/events?subscription_id=" + sub).json().toString())
        .contains("portal.billing_portal_opened");
  }

  @Test
  void signing_out_ends_the_portal_session() throws Exception {
    subscriptionWith("Out Corp", List.of("ops@out.example"), false);
    signInByMail("ops@out.example");
    driver.findElement(By.id("sign-out")).click();
    waitUntil(d -> d.getCurrentUrl().endsWith("/portal?signed-out"));
    assertThat(pageText()).contains("You are signed out");
    open("/portal/subscriptions");
    waitUntil(d -> d.getCurrentUrl().endsWith("/portal"));
    assertThat(first(By.id("email"))).isPresent();
  }
}
