package dev.keyturn.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.BrowserTest;
import dev.keyturn.server.support.OnH2;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

@OnH2
class ConsolePaymentBrowserTest extends BrowserTest {

  @Test
  void a_sales_user_records_a_payment_and_the_new_license_appears_in_the_history() {
    String id = createSubscription("Pay Sales " + System.nanoTime());
    issued(id, "P20D");
    LocalDate paidThrough =
        LocalDate.ofInstant(clock.instant().plus(Duration.ofDays(400)), ZoneOffset.UTC);

    signInAs(Role.SALES);
    open("/console/subscriptions/" + id);
    assertThat(driver.findElements(By.cssSelector("#licenses tr[data-license]"))).hasSize(1);
    setDate(driver.findElement(By.id("paidThrough")), paidThrough);
    driver.findElement(By.id("reference")).sendKeys("PO-4711");
    driver.findElement(By.id("amount")).sendKeys("1200.00 EUR");
    driver.findElement(By.id("record-payment")).click();
    waitUntil(d -> pageText().contains("PO-4711 recorded"));

    assertThat(pageText()).contains("issued and sent");
    var rows = driver.findElements(By.cssSelector("#licenses tr[data-license]"));
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).getText())
        .contains(paidThrough.toString())
        .contains("auto")
        .contains("sales-user");
    assertThat(driver.findElement(By.id("payments")).getText())
        .contains("PO-4711")
        .contains("1200.00 EUR");
    assertThat(driver.findElement(By.id("timeline")).getText())
        .contains("payment.recorded")
        .contains("license.renewed");
  }

  @Test
  void a_support_user_sees_no_payment_form() {
    String id = createSubscription("Pay Support " + System.nanoTime());
    signInAs(Role.SUPPORT);
    open("/console/subscriptions/" + id);
    assertThat(first(By.id("payment-form"))).isEmpty();
    assertThat(first(By.id("issue-license"))).isEmpty();
  }

  /** Chromium's date input takes the digits in the browser's locale order; set it directly. */
  private void setDate(WebElement input, LocalDate date) {
    driver.executeScript("arguments[0].value = arguments[1]", input, date.toString());
  }
}
