package dev.keyturn.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.delivery.DeliveryWorker;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.BrowserTest;
import dev.keyturn.server.support.OnH2;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;

@OnH2
class ConsoleIssueBrowserTest extends BrowserTest {
  @Autowired DeliveryWorker deliveries;

  @Test
  void an_engineer_sees_the_cap_issues_a_7_day_license_and_is_refused_30_days() {
    String id = createSubscription("Issue Engineer " + System.nanoTime());
    signInAs(Role.ENGINEER);
    open("/console/subscriptions/" + id + "/issue");
    assertThat(driver.findElement(By.id("limits")).getText()).contains("at most 7 days");

    preview("7");
    assertThat(driver.findElement(By.id("lifecycle-preview")).getText())
        .contains("D-7")
        .contains("EXPIRY")
        .contains("LOCK")
        .contains("WARNING");
    driver.findElement(By.id("sign")).click();
    waitUntil(d -> d.getCurrentUrl().endsWith("/console/subscriptions/" + id));
    assertThat(pageText()).contains("issued, valid until");
    assertThat(licenseIds(id)).hasSize(1);

    open("/console/subscriptions/" + id + "/issue");
    preview("30");
    driver.findElement(By.id("sign")).click();
    waitUntil(d -> pageText().contains("Nothing was issued"));
    assertThat(pageText())
        .contains("an ENGINEER may issue licenses valid for at most 7 days")
        .contains("30 days");
    assertThat(licenseIds(id)).as("nothing issued for the refused request").hasSize(1);
  }

  @Test
  void the_preview_shows_the_stages_before_anything_is_signed() {
    String id = createSubscription("Fabrikam");
    signInAs(Role.SALES);
    open("/console/subscriptions/" + id + "/issue");
    preview("365");
    String preview = driver.findElement(By.id("lifecycle-preview")).getText();
    assertThat(preview).contains("D-30").contains("D-15").contains("D-1").contains("GRACE");
    assertThat(preview)
        .as("what closing the banner does, in words")
        .contains("closable until the next stage")
        .contains("closable for 24 hours")
        .contains("closes to a countdown pill")
        .contains("cannot be closed")
        .doesNotContain("UNTIL_NEXT_STAGE")
        .doesNotContain("FOR_24H")
        .doesNotContain("TO_PILL")
        .doesNotContain("READ_ONLY");
    assertThat(licenseIds(id)).as("a preview issues nothing").isEmpty();
    screenshot("console-issue-preview");
  }

  @Test
  void issuing_mails_the_license_to_the_contacts_unless_the_box_is_unticked() {
    String id = createSubscription("Issue Mail " + System.nanoTime());
    signInAs(Role.SALES);
    open("/console/subscriptions/" + id + "/issue");
    assertThat(driver.findElement(By.id("notify")).isSelected()).as("ticked by default").isTrue();
    preview("90");
    assertThat(driver.findElement(By.id("notify")).isSelected()).as("kept by the preview").isTrue();
    driver.findElement(By.id("sign")).click();
    waitUntil(d -> d.getCurrentUrl().endsWith("/console/subscriptions/" + id));
    deliveries.runOnce();
    assertThat(mailsTo(id)).singleElement().asString().contains(".license.toml");

    open("/console/subscriptions/" + id + "/issue");
    driver.findElement(By.id("notify")).click();
    preview("90");
    driver.findElement(By.id("sign")).click();
    waitUntil(d -> d.getCurrentUrl().endsWith("/console/subscriptions/" + id));
    deliveries.runOnce();
    assertThat(licenseIds(id)).hasSize(2);
    assertThat(mailsTo(id)).as("no mail for the unticked one").hasSize(1);
  }

  private java.util.List<String> mailsTo(String subscriptionId) {
    java.util.List<String> mails = new java.util.ArrayList<>();
    admin()
        .get("/api/v1/mails?subscription_id=" + subscriptionId)
        .json()
        .forEach(m -> mails.add(m.toString()));
    return mails;
  }

  private void preview(String days) {
    WebElement field = driver.findElement(By.id("days"));
    field.clear();
    field.sendKeys(days);
    driver.findElement(By.id("preview")).click();
    waitUntil(
        d ->
            !d.findElements(By.id("lifecycle-preview")).isEmpty()
                || pageText().contains("Nothing was issued"));
  }

  private java.util.List<String> licenseIds(String subscriptionId) {
    java.util.List<String> ids = new java.util.ArrayList<>();
    admin()
        .get("/api/v1/licenses?subscription_id=" + subscriptionId)
        .json()
        .forEach(l -> ids.add(l.get("id").asString()));
    return ids;
  }
}
