package dev.keyturn.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.VerificationCode;
import dev.keyturn.core.crypto.Pem;
import dev.keyturn.core.verify.LicenseVerifier;
import dev.keyturn.core.verify.Verification;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.BrowserTest;
import dev.keyturn.server.support.ConsoleSession;
import dev.keyturn.server.support.OnH2;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

@OnH2
class AdminConsoleBrowserTest extends BrowserTest {

  @Test
  void advancing_the_test_clock_moves_server_time_and_a_move_back_is_refused_with_the_reason() {
    signInAsAdmin();
    open("/console/admin");
    Instant before = clock.instant();
    driver.findElement(By.id("advance-amount")).clear();
    driver.findElement(By.id("advance-amount")).sendKeys("2");
    new Select(driver.findElement(By.id("advance-unit"))).selectByValue("hours");
    driver.findElement(By.id("advance")).click();
    waitUntil(d -> pageText().contains("Server time is now"));
    Instant after = clock.instant();
    assertThat(Duration.between(before, after)).isGreaterThanOrEqualTo(Duration.ofHours(2));
    Instant shown = Instant.parse(driver.findElement(By.id("server-time")).getText());
    assertThat(shown).isAfterOrEqualTo(before.plus(Duration.ofHours(2))).isBeforeOrEqualTo(after);
    screenshot("console-admin");

    // A day earlier than now: refused, and the clock stays where it was.
    String yesterday =
        LocalDateTime.ofInstant(clock.instant().minus(Duration.ofDays(1)), ZoneOffset.UTC)
            .truncatedTo(ChronoUnit.MINUTES)
            .toString();
    // Typing into a datetime-local box depends on the browser's locale; set the value instead.
    driver.executeScript(
        "arguments[0].value = arguments[1]", driver.findElement(By.id("set-to")), yesterday);
    Instant beforeRefusal = clock.instant();
    driver.findElement(By.id("set")).click();
    waitUntil(d -> first(By.cssSelector(".flash-error")).isPresent());
    assertThat(driver.findElement(By.cssSelector(".flash-error")).getText())
        .contains("cannot set the clock back");
    assertThat(Duration.between(beforeRefusal, clock.instant())).isLessThan(Duration.ofHours(1));

    // A negative advance, typed by hand, is refused too.
    driver.findElement(By.id("advance-amount")).clear();
    driver.findElement(By.id("advance-amount")).sendKeys("-3");
    driver.findElement(By.id("advance")).click();
    waitUntil(
        d ->
            first(By.cssSelector(".flash-error"))
                .filter(e -> e.getText().contains("cannot move the clock back"))
                .isPresent());
    assertThat(Duration.between(beforeRefusal, clock.instant())).isLessThan(Duration.ofHours(1));
  }

  @Test
  void an_admin_creates_a_user_who_signs_in_with_that_role_and_is_then_disabled() {
    signInAsAdmin();
    open("/console/admin");
    driver.findElement(By.id("new-username")).sendKeys("console-made-sales");
    driver.findElement(By.id("new-password")).sendKeys("a-long-enough-password");
    new Select(driver.findElement(By.id("new-role"))).selectByValue("SALES");
    driver.findElement(By.id("create-user")).click();
    waitUntil(d -> pageText().contains("User console-made-sales created with role SALES."));

    driver.manage().deleteAllCookies();
    signIn("console-made-sales", "a-long-enough-password");
    assertThat(driver.findElement(By.cssSelector(".whoami .user")).getText()).contains("SALES");

    driver.manage().deleteAllCookies();
    signInAsAdmin();
    open("/console/admin");
    driver.findElement(By.cssSelector("tr[data-username='console-made-sales'] button")).click();
    waitUntil(d -> pageText().contains("User console-made-sales disabled"));

    driver.manage().deleteAllCookies();
    signIn("console-made-sales", "a-long-enough-password");
    assertThat(driver.getCurrentUrl()).endsWith("/console/login?error");
  }

  @Test
  void rotating_the_signing_key_needs_the_confirmation_and_retires_the_old_key() {
    signInAsAdmin();
    open("/console/admin");
    String active =
        driver
            .findElement(By.xpath("//table[@id='key-table']//tr[.//span[text()='active']]"))
            .getDomAttribute("data-key-id");
    // The browser insists on the box; a post without it is refused by the server (see
    // ConsoleFormsH2Test), so tick it here.
    driver.findElement(By.id("confirm-rotate")).click();
    driver.findElement(By.id("rotate")).click();
    waitUntil(d -> pageText().contains("Signing key rotated"));
    WebElement old = driver.findElement(By.cssSelector("tr[data-key-id='" + active + "']"));
    assertThat(old.getText()).contains("retired");
    assertThat(
            driver.findElements(By.xpath("//table[@id='key-table']//tr[.//span[text()='active']]")))
        .hasSize(1);
  }

  @Test
  void the_next_key_is_published_before_it_signs_and_activating_it_keeps_old_licenses_verifying() {
    // Server tests share the database: activate whatever an earlier test left pending.
    assertThat(admin().post("/api/v1/signing-keys/rotate", null).status()).isEqualTo(201);
    String sub = createSubscription("Staged Keys Corp");
    signInAsAdmin();
    open("/console/admin");
    String active = keyIdInState("active");
    assertThat(first(By.id("next-key"))).isEmpty();

    driver.findElement(By.id("prepare")).click();
    waitUntil(d -> pageText().contains("prepared. It signs nothing until you activate it"));
    String next = keyIdInState("next");
    assertThat(next).isNotEqualTo(active);
    assertThat(first(By.id("prepare"))).as("one pending key at a time").isEmpty();
    assertThat(driver.findElement(By.id("rotate")).getText()).isEqualTo("Activate the next key");
    screenshot("console-admin-signing-keys");

    // Its public half downloads from the page, the same as the API publishes.
    String href = driver.findElement(By.id("next-key-pem")).getDomAttribute("href");
    assertThat(href).isEqualTo("/console/admin/signing-keys/" + next + "/public.pem");
    HttpResponse<String> pem = ConsoleSession.signIn(port, "admin", ADMIN_PASSWORD).get(href);
    assertThat(pem.statusCode()).isEqualTo(200);
    assertThat(Pem.readPublicKey(pem.body()))
        .isEqualTo(
            Pem.readPublicKey(
                anonymous().get("/api/v1/signing-keys/" + next + "/public.pem").body()));

    Api.Response before = issued(sub, "P365D");
    assertThat(before.field("key_id")).as("the next key signs nothing yet").isEqualTo(active);

    driver.findElement(By.id("confirm-rotate")).click();
    driver.findElement(By.id("rotate")).click();
    waitUntil(d -> pageText().contains("Signing key rotated"));
    assertThat(keyIdInState("active")).isEqualTo(next);
    assertThat(driver.findElement(By.cssSelector("tr[data-key-id='" + active + "']")).getText())
        .contains("retired");
    assertThat(first(By.id("prepare"))).isPresent();

    Api.Response after = issued(sub, "P395D");
    assertThat(after.field("key_id")).isEqualTo(next);
    for (String text : List.of(before.field("text"), after.field("text"))) {
      Verification v =
          new LicenseVerifier(publishedKeys()).verify(text, clock.instant(), Optional.empty());
      assertThat(v.code()).as(v.message()).isEqualTo(VerificationCode.VALID);
    }
  }

  private String keyIdInState(String state) {
    return driver
        .findElement(By.xpath("//table[@id='key-table']//tr[.//span[text()='" + state + "']]"))
        .getDomAttribute("data-key-id");
  }

  @Test
  void the_audit_log_filters_by_type_and_actor_newest_first() {
    Instant start = clock.instant();
    String first = createSubscription("Audit Filter One");
    String second = createSubscription("Audit Filter Two");
    signInAs(Role.READONLY);
    open("/console/audit?type=subscription.created");
    waitUntil(d -> first(By.cssSelector("#events tbody tr")).isPresent());
    String text = driver.findElement(By.cssSelector("#events tbody")).getText();
    assertThat(text.indexOf(second)).isNotNegative().isLessThan(text.indexOf(first));
    assertThat(driver.findElements(By.cssSelector("#events code.type")))
        .allSatisfy(t -> assertThat(t.getText()).isEqualTo("subscription.created"));

    driver.findElement(By.id("filter-subscription")).sendKeys(first);
    driver.findElement(By.cssSelector("#audit-filter button")).click();
    waitUntil(d -> d.getCurrentUrl().contains("subscription=" + first));
    assertThat(driver.findElements(By.cssSelector("#events tbody tr"))).hasSize(1);
    assertThat(driver.findElement(By.cssSelector("#events td.actor")).getText())
        .startsWith("sales-user");

    // The date range is in UTC days, "to" included whole.
    LocalDate createdFrom = LocalDate.ofInstant(start, ZoneOffset.UTC);
    LocalDate createdBy = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    String yesterday = createdFrom.minusDays(1).toString();
    open("/console/audit?subscription=" + first + "&from=" + createdFrom + "&to=" + createdBy);
    assertThat(driver.findElements(By.cssSelector("#events tbody tr[data-id]"))).isNotEmpty();
    open("/console/audit?subscription=" + first + "&to=" + yesterday);
    assertThat(driver.findElements(By.cssSelector("#events tbody tr[data-id]"))).isEmpty();

    open("/console/audit?to=not-a-date");
    assertThat(driver.findElement(By.cssSelector(".flash-error")).getText())
        .contains("a date like 2026-11-23");
  }

  @Test
  void a_non_admin_is_refused_the_admin_and_webhook_pages_even_by_their_address() {
    signInAs(Role.SALES);
    assertThat(first(By.linkText("Admin"))).isEmpty();
    assertThat(first(By.linkText("Webhooks"))).isEmpty();
    for (String page :
        new String[] {"/console/admin", "/console/webhooks", "/console/admin/users"}) {
      open(page);
      assertThat(driver.getTitle()).doesNotContain("Admin").doesNotContain("Webhook");
      assertThat(first(By.id("add-user"))).isEmpty();
      assertThat(first(By.id("add-endpoint"))).isEmpty();
    }
  }
}
