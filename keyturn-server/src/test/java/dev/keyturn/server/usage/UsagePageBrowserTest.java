package dev.keyturn.server.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.clock.TestClock;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.BrowserTest;
import dev.keyturn.server.support.OnH2;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The console's usage page in Chromium: the chart draws under the pages' script-free CSP, and a
 * SALES user sets the overage allowance through its form.
 */
@OnH2
class UsagePageBrowserTest extends BrowserTest {

  @Test
  void the_usage_page_draws_the_chart_lists_the_nodes_and_saves_the_overage_allowance() {
    String sub = createSubscription("Chart Corp " + System.nanoTime());
    Api.Response license = issued(sub, "P365D");
    Api product = anonymous().as(Api.bearer(licenseToken(license.field("text"))));
    long[] users = {180, 210, 240, 262, 255, 270};
    LocalDate first = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    for (int day = 0; day < users.length; day++) {
      for (String node : new String[] {"app-1", "app-2"}) {
        Api.Response r =
            product.post(
                "/api/v1/check-in",
                Map.of(
                    "license_id",
                    license.field("id"),
                    "instance_id",
                    "chart-cluster",
                    "node",
                    node,
                    "usage",
                    Map.of("users", users[day], "seats", users[day] - 30)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
      }
      ((TestClock) clock).set(clock.instant().plus(Duration.ofDays(1)));
    }

    signInAs(Role.SALES);
    open(
        "/console/subscriptions/"
            + sub
            + "/usage?from="
            + first
            + "&to="
            + first.plusDays(users.length - 1));
    WebElement panel = driver.findElement(By.cssSelector("figure.usage-panel[data-limit='users']"));
    WebElement line = panel.findElement(By.cssSelector("polyline.series"));
    assertThat(line.getRect().getWidth()).as("the line spans the days").isGreaterThan(100);
    // A horizontal line has no height, which Selenium counts as not displayed: its width shows it.
    assertThat(panel.findElement(By.cssSelector(".licensed line")).getRect().getWidth())
        .isGreaterThan(100);
    assertThat(panel.getText()).contains("users: peak 270, licensed 250");
    assertThat(driver.findElement(By.id("installations")).getText())
        .contains("chart-cluster", "BOUND", "2 node(s)", "app-1", "app-2");
    assertThat(driver.findElement(By.id("true-up")).getText()).contains("users: licensed 250");
    screenshot("console-usage");

    WebElement overage = driver.findElement(By.name("overage"));
    overage.clear();
    overage.sendKeys("users=10");
    driver.findElement(By.cssSelector("#overage-form button")).click();
    waitUntil(d -> pageText().contains("Overage allowance saved"));
    assertThat(driver.getCurrentUrl()).as("back on the period shown").contains("from=" + first);
    assertThat(driver.findElement(By.id("overage-current")).getText()).isEqualTo("users +10 %");
  }
}
