package dev.keyturn.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.BrowserTest;
import dev.keyturn.server.support.OnH2;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

@OnH2
class TokenConsoleBrowserTest extends BrowserTest {

  @Test
  void a_new_token_is_shown_once_works_on_the_api_and_stops_working_when_revoked() {
    signInAs(Role.SALES);
    open("/console/tokens");
    driver.findElement(By.id("token-name")).sendKeys("console-ci");
    new Select(driver.findElement(By.id("token-role"))).selectByValue("SALES");
    driver.findElement(By.id("create")).click();
    waitUntil(d -> first(By.id("new-token")).isPresent());
    String token = driver.findElement(By.id("new-token")).getText();
    assertThat(token).startsWith("kt_api_");

    Api api = new Api(port, Api.bearer(token));
    Api.Response created = api.post("/api/v1/subscriptions", subscription("Token Made Corp"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);

    // Shown once: the list never carries the secret again.
    open("/console/tokens");
    assertThat(first(By.id("new-token"))).isEmpty();
    assertThat(driver.getPageSource()).doesNotContain(token);
    assertThat(driver.findElement(By.id("token-table")).getText()).contains("console-ci", "SALES");

    driver
        .findElement(By.xpath("//table[@id='token-table']//tr[td[text()='console-ci']]//button"))
        .click();
    waitUntil(d -> pageText().contains("Token console-ci revoked"));
    assertThat(api.get("/api/v1/subscriptions").status()).isEqualTo(401);
  }

  @Test
  void a_token_above_the_owners_role_is_refused_with_the_reason() {
    signInAs(Role.SUPPORT);
    open("/console/tokens");
    assertThat(
            new Select(driver.findElement(By.id("token-role")))
                .getOptions().stream().map(o -> o.getDomAttribute("value")).toList())
        .containsExactly("SUPPORT", "READONLY");
    // Posted anyway, as a tampered form would: the API's rule refuses it.
    driver.executeScript(
        "arguments[0].options[0].value = 'ADMIN'", driver.findElement(By.id("token-role")));
    driver.findElement(By.id("token-name")).sendKeys("sneaky");
    driver.findElement(By.id("create")).click();
    waitUntil(d -> first(By.cssSelector(".flash-error")).isPresent());
    assertThat(driver.findElement(By.cssSelector(".flash-error")).getText())
        .contains("may create tokens for its own role or READONLY, not ADMIN");
    assertThat(first(By.id("new-token"))).isEmpty();
    assertThat(admin().get("/api/v1/api-tokens").body()).doesNotContain("sneaky");
  }
}
