package dev.keyturn.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.clock.TestClock;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.Authenticator;
import dev.keyturn.server.support.BrowserTest;
import dev.keyturn.server.support.OnH2;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The admin's TOTP policy as a person meets it in Chromium: the password, the enrolment page with
 * its QR code, the typed code, the recovery codes, the console; then the second step next time.
 */
@OnH2
class TwoFactorBrowserTest extends BrowserTest {

  @Test
  void with_the_policy_on_a_new_account_sets_up_totp_after_its_password_and_uses_it_next_time() {
    String username = "totp-browser-" + System.nanoTime() % 1_000_000;
    assertThat(
            admin()
                .post(
                    "/api/v1/users",
                    Map.of("username", username, "password", USER_PASSWORD, "role", "SALES"))
                .status())
        .isEqualTo(201);
    Api adminToken = as(Role.ADMIN);
    adminToken.send("PUT", "/api/v1/sign-in-policy", Map.of("totp_required", true));
    try {
      signIn(username, USER_PASSWORD);
      waitUntil(d -> d.getCurrentUrl().endsWith("/console/login/enrol"));
      assertThat(driver.getTitle()).isEqualTo("Set up a second factor · Keyturn");
      assertThat(driver.findElement(By.id("qr")).getAttribute("src"))
          .startsWith("data:image/png;base64,");
      assertThat(driver.findElement(By.id("qr")).getSize().getWidth()).isGreaterThan(100);
      screenshot("totp-enrol");
      Authenticator app = Authenticator.fromKey(driver.findElement(By.id("secret")).getText());

      driver.findElement(By.id("code")).sendKeys(app.code(clock, 0));
      driver.findElement(By.id("confirm")).click();
      waitUntil(d -> d.getTitle().startsWith("Recovery codes"));
      assertThat(driver.findElements(By.cssSelector("#recovery-codes li"))).hasSize(10);
      screenshot("totp-recovery-codes");
      driver.findElement(By.id("continue")).click();
      waitUntil(d -> d.getTitle().equals("Dashboard · Keyturn"));

      driver.manage().deleteAllCookies();
      ((TestClock) clock).advance(Duration.ofSeconds(30));
      signIn(username, USER_PASSWORD);
      waitUntil(d -> d.getCurrentUrl().endsWith("/console/login/second-factor"));
      driver.findElement(By.id("code")).sendKeys("123 456");
      driver.findElement(By.id("verify")).click();
      waitUntil(d -> !d.findElements(By.id("code-error")).isEmpty());
      assertThat(driver.findElement(By.id("code-error")).getText()).contains("not right");
      driver.findElement(By.id("code")).sendKeys(app.code(clock, 0));
      driver.findElement(By.id("verify")).click();
      waitUntil(d -> d.getTitle().equals("Dashboard · Keyturn"));
    } finally {
      adminToken.send("PUT", "/api/v1/sign-in-policy", Map.of("totp_required", false));
    }
  }
}
