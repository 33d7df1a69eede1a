package dev.keyturn.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.BrowserTest;
import dev.keyturn.server.support.OnH2;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

@OnH2
class ConsoleSignInBrowserTest extends BrowserTest {

  @Test
  void a_console_page_sends_a_stranger_to_the_sign_in_page() {
    open("/console/subscriptions");
    waitUntil(d -> d.getCurrentUrl().endsWith("/console/login"));
    assertThat(driver.getTitle()).isEqualTo("Sign in · Keyturn");
  }

  @Test
  void the_bootstrap_admin_signs_in_and_sees_the_dashboard_with_the_admin_pages() {
    signInAsAdmin();
    assertThat(driver.getTitle()).isEqualTo("Dashboard · Keyturn");
    assertThat(driver.findElement(By.cssSelector(".whoami .user")).getText())
        .contains("admin")
        .contains("ADMIN");
    assertThat(first(By.linkText("Admin"))).isPresent();
  }

  @Test
  void after_sign_in_the_address_is_the_page_asked_for_and_nothing_more() {
    open("/console/subscriptions");
    waitUntil(d -> d.getCurrentUrl().endsWith("/console/login"));
    driver.findElement(By.id("username")).sendKeys("admin");
    driver.findElement(By.id("password")).sendKeys(ADMIN_PASSWORD);
    driver.findElement(By.id("sign-in")).click();

    waitUntil(d -> !d.getCurrentUrl().contains("/console/login"));
    assertThat(driver.getCurrentUrl())
        .isEqualTo("http://localhost:" + port + "/console/subscriptions");
    assertThat(driver.getTitle()).isEqualTo("Subscriptions · Keyturn");
  }

  @Test
  void a_wrong_password_is_refused_with_a_message() {
    signIn("admin", "not-the-password");
    assertThat(driver.getCurrentUrl()).endsWith("/console/login?error");
    assertThat(pageText()).contains("do not match");
  }

  @Test
  void a_support_user_sees_no_admin_or_clean_up_pages_and_is_refused_them() {
    signInAs(Role.SUPPORT);
    assertThat(first(By.linkText("Admin"))).isEmpty();
    assertThat(first(By.linkText("Clean-up"))).isEmpty();
    open("/console/admin");
    assertThat(driver.getTitle()).isNotEqualTo("Admin · Keyturn");
    assertThat(pageText()).doesNotContain("Users");
  }

  @Test
  void signing_out_ends_the_session() {
    signInAsAdmin();
    driver.findElement(By.cssSelector(".whoami button")).click();
    waitUntil(d -> d.getCurrentUrl().endsWith("/console/login?logout"));
    open("/console");
    waitUntil(d -> d.getCurrentUrl().endsWith("/console/login"));
  }

  @Test
  void a_hand_edited_address_gets_a_readable_error_page_not_a_server_error() {
    signInAsAdmin();
    open("/console/mail?page=abc");
    assertThat(driver.getTitle()).isEqualTo("The request is not valid · Keyturn");
    assertThat(pageText()).contains("'abc' is not a valid value for page");
  }

  @Test
  void the_test_clock_badge_shows_the_server_time_in_utc() {
    signInAsAdmin();
    assertThat(driver.findElement(By.cssSelector(".badge-clock")).getText())
        .startsWith("Test clock ")
        .endsWith(" UTC");
  }
}
