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

    assertThat(driver.findElement(By.id("tier")).isDisplayed()).as("edit form closed").isFalse();
    driver.findElement(By.id("edit-toggle")).click();
    type("tier", "enterprise");
    driver.findElement(By.id("save")).click();
    waitUntil(d -> pageText().contains("Saved: tier."));
    assertThat(pageText()).contains("enterprise");
    assertThat(driver.findElement(By.id("edit")).getDomAttribute("open")).isNull();
  }

  @Test
  void a_refused_edit_opens_the_form_again_with_what_was_typed() {
    String id = createSubscription("Refused Edit " + System.nanoTime());
    signInAs(Role.SALES);
    open("/console/subscriptions/" + id);
    driver.findElement(By.id("edit-toggle")).click();
    type("instanceDomain", "not a host");
    driver.findElement(By.id("save")).click();

    waitUntil(d -> pageText().contains("Not saved"));
    assertThat(driver.findElement(By.id("edit")).getDomAttribute("open")).isNotNull();
    assertThat(driver.findElement(By.id("instanceDomain")).getDomProperty("value"))
        .isEqualTo("not a host");
  }

  @Test
  void the_page_head_keeps_the_badge_by_the_name_and_the_buttons_together() {
    String id = createSubscription("Head Layout " + System.nanoTime());
    issued(id, "P30D");
    signInAs(Role.SALES);
    open("/console/subscriptions/" + id);

    WebElement name = driver.findElement(By.id("subscription-name"));
    WebElement badge = driver.findElement(By.cssSelector(".page-title .badge"));
    WebElement issue = driver.findElement(By.id("issue-license"));
    WebElement archive = driver.findElement(By.id("archive"));
    assertThat(badge.getRect().getX() - (name.getRect().getX() + name.getRect().getWidth()))
        .isBetween(0, 24);
    assertThat(archive.getRect().getX() - (issue.getRect().getX() + issue.getRect().getWidth()))
        .isBetween(0, 16);
    WebElement card = driver.findElement(By.cssSelector(".detail-columns .card"));
    WebElement heading = card.findElement(By.tagName("h2"));
    assertThat(heading.getRect().getY() - card.getRect().getY())
        .as("no blank band above a card's heading")
        .isLessThanOrEqualTo(24);
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
    driver.findElement(By.id("edit-toggle")).click();
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
