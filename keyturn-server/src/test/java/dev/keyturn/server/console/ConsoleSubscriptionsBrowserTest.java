package dev.keyturn.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.BrowserTest;
import dev.keyturn.server.support.OnH2;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

@OnH2
class ConsoleSubscriptionsBrowserTest extends BrowserTest {

  @Test
  void a_sales_user_creates_a_subscription_finds_it_by_contact_e_mail_and_edits_it() {
    long n = System.nanoTime();
    signInAs(Role.SALES);
    open("/console/subscriptions");
    driver.findElement(By.id("new-subscription")).click();
    waitUntil(d -> d.getCurrentUrl().endsWith("/console/subscriptions/new"));
    type("displayName", "Contoso " + n);
    type("crmAccountId", "crm-contoso-" + n);
    type("instanceDomain", "tools.contoso-" + n + ".example");
    type("adminEmails", "it-" + n + "@contoso.example");
    type("tier", "large");
    driver.findElement(By.id("create")).click();
    waitUntil(d -> pageText().contains("Created Contoso " + n));
    String detail = driver.getCurrentUrl();
    assertThat(driver.findElement(By.id("subscription-name")).getText()).isEqualTo("Contoso " + n);
    assertThat(driver.findElement(By.id("timeline")).getText()).contains("subscription.created");

    open("/console/subscriptions?q=it-" + n + "@contoso");
    assertThat(driver.findElements(By.cssSelector("#subscriptions tbody tr"))).hasSize(1);
    driver.findElement(By.linkText("Contoso " + n)).click();
    waitUntil(d -> d.getCurrentUrl().equals(detail));

    type("tier", "enterprise");
    driver.findElement(By.id("save")).click();
    waitUntil(d -> pageText().contains("Saved: tier."));
    assertThat(pageText()).contains("enterprise");
  }

  @Test
  void a_new_subscription_with_bad_input_is_refused_with_the_reason_and_keeps_what_was_typed() {
    signInAs(Role.SALES);
    open("/console/subscriptions/new");
    type("displayName", "No Crm Account");
    type("instanceDomain", "not a host");
    driver.findElement(By.id("create")).click();
    waitUntil(d -> pageText().contains("crm_account_id"));
    assertThat(pageText()).contains("instance_domain");
    assertThat(driver.findElement(By.id("displayName")).getDomProperty("value"))
        .isEqualTo("No Crm Account");
  }

  @Test
  void a_support_user_may_edit_only_the_contacts() {
    String id = createSubscription("Support Edit " + System.nanoTime());
    signInAs(Role.SUPPORT);
    open("/console/subscriptions/" + id);
    assertThat(driver.findElement(By.id("tier")).isEnabled()).isFalse();
    type("adminEmails", "helpdesk@example.com");
    driver.findElement(By.id("save")).click();
    waitUntil(d -> pageText().contains("Saved: contacts."));
    assertThat(admin().get("/api/v1/subscriptions/" + id).json().get("tier").asString())
        .isEqualTo("medium");
  }

  private void type(String id, String text) {
    WebElement field = driver.findElement(By.id(id));
    field.clear();
    field.sendKeys(text);
  }
}
