package dev.keyturn.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.support.BrowserTest;
import dev.keyturn.server.support.OidcProvider;
import dev.keyturn.server.support.OnH2;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A person signs in to the console in Chromium, through the identity provider's login page. */
@OnH2
class SingleSignOnBrowserTest extends BrowserTest {

  @DynamicPropertySource
  static void singleSignOn(DynamicPropertyRegistry registry) {
    OidcProvider.register(registry, "admin");
  }

  private void signInAtTheProvider(String subject, String claims) {
    open("/console/subscriptions");
    waitUntil(d -> d.getCurrentUrl().endsWith("/console/login"));
    driver.findElement(By.id("sign-in-sso")).click();
    waitUntil(d -> d.getCurrentUrl().startsWith(OidcProvider.issuer() + "/authorize"));
    assertThat(pageText()).contains("Mock OAuth2 Server Sign-in");
    driver.findElement(By.name("username")).sendKeys(subject);
    driver.findElement(By.name("claims")).sendKeys(claims);
    driver.findElement(By.cssSelector("input[type=submit]")).click();
    waitUntil(d -> d.getCurrentUrl().startsWith("http://localhost:" + port + "/console"));
  }

  @Test
  void signs_in_through_the_provider_page_and_lands_on_the_page_asked_for() {
    String username = "grace-" + System.nanoTime() % 1_000_000;

    signInAtTheProvider(
        "sub-" + username,
        "{\"preferred_username\": \"" + username + "\", \"groups\": [\"keyturn-admins\"]}");

    assertThat(driver.getCurrentUrl())
        .isEqualTo("http://localhost:" + port + "/console/subscriptions");
    assertThat(driver.findElement(By.cssSelector(".whoami .user")).getText())
        .contains(username)
        .contains("ADMIN");
    screenshot("sso-signed-in");
    open("/console/account");
    assertThat(pageText()).contains("You sign in through the identity provider");
  }

  @Test
  void the_sign_in_page_offers_single_sign_on_and_a_refusal_says_why() {
    open("/console/login");
    assertThat(driver.findElement(By.id("sign-in-sso")).getText())
        .isEqualTo("Sign in with Mock IdP");
    screenshot("sso-sign-in-page");

    signInAtTheProvider(
        "sub-nobody", "{\"preferred_username\": \"nobody\", \"groups\": [\"marketing\"]}");

    waitUntil(d -> d.getCurrentUrl().endsWith("/console/login/refused"));
    assertThat(driver.findElement(By.id("reason")).getText())
        .contains("Your account at Mock IdP has no Keyturn role")
        .contains("[marketing]");
    screenshot("sso-refused");
  }
}
