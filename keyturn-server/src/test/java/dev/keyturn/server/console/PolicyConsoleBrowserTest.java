package dev.keyturn.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.support.BrowserTest;
import dev.keyturn.server.support.OnH2;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The Policies page in a real browser: an admin makes a partner tier's policy from the form. */
@OnH2
class PolicyConsoleBrowserTest extends BrowserTest {
  @Test
  void an_admin_makes_a_policy_whose_d15_goes_to_the_account_team_and_sees_its_stages() {
    String name = "partner-" + UUID.randomUUID().toString().substring(0, 6);
    signInAsAdmin();
    open("/console/policies");
    driver.findElement(By.id("new-policy")).click();
    waitUntil(d -> first(By.id("policy-form")).isPresent());

    WebElement nameField = driver.findElement(By.id("name"));
    nameField.clear();
    nameField.sendKeys(name);
    // The form starts from the appliance preset: D-30, D-15, D-7, D-1. Route D-15 to the account
    // team only, drop D-7, and give 90 days of read-only grace.
    untick("r1_notify_customer");
    untick("r1_notify_webhook");
    driver.findElement(By.name("r2_days")).clear();
    WebElement grace = driver.findElement(By.id("grace_days"));
    grace.clear();
    grace.sendKeys("90");
    new Select(driver.findElement(By.id("grace_mode"))).selectByValue("read-only");
    driver.findElement(By.id("save")).click();
    waitUntil(d -> first(By.id("stages")).isPresent());

    String page = pageText();
    assertThat(page).contains("Policy " + name).contains("revision 1");
    String stages = driver.findElement(By.id("stages")).getText();
    assertThat(stages).contains("D-15").contains("account-team").doesNotContain("D-7");
    assertThat(driver.findElement(By.id("lifecycle-preview")).getText()).contains("READ_ONLY");
    assertThat(driver.findElement(By.id("edit-note")).getText())
        .contains("changes only licenses issued afterwards");
    screenshot("console-policy");
  }

  private void untick(String checkbox) {
    WebElement box = driver.findElement(By.name(checkbox));
    if (box.isSelected()) {
      box.click();
    }
  }
}
