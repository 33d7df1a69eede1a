package dev.keyturn.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.support.BrowserTest;
import dev.keyturn.server.support.OnH2;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

@OnH2
class ConsoleDashboardBrowserTest extends BrowserTest {

  @Test
  void the_dashboard_lists_current_licenses_soonest_expiry_first_and_highlights_the_next_7_days() {
    String later = createSubscription("Dash Later " + System.nanoTime());
    String soonest = createSubscription("Dash Soonest " + System.nanoTime());
    String middle = createSubscription("Dash Middle " + System.nanoTime());
    issued(later, "P40D");
    issued(soonest, "P3D");
    issued(middle, "P20D");

    signInAsAdmin();
    List<String> seen = new ArrayList<>();
    List<Instant> expiries = new ArrayList<>();
    while (true) {
      for (WebElement row :
          driver.findElements(By.cssSelector("#expiries tbody tr[data-expires]"))) {
        expiries.add(Instant.parse(row.getDomAttribute("data-expires")));
        String id = row.getDomAttribute("data-subscription");
        if (id.equals(soonest) || id.equals(middle) || id.equals(later)) {
          seen.add(id);
          if (id.equals(soonest)) {
            assertThat(row.getDomAttribute("class")).isEqualTo("soon");
            assertThat(row.getText()).contains("3").contains("EXPIRING");
          } else {
            assertThat(row.getDomAttribute("class")).isNull();
          }
        }
      }
      if (seen.size() == 3 || first(By.id("next-page")).isEmpty()) {
        break;
      }
      driver.findElement(By.id("next-page")).click();
      waitUntil(d -> d.getCurrentUrl().contains("page="));
    }
    assertThat(expiries).isSorted();
    assertThat(seen).containsExactly(soonest, middle, later);
  }

  @Test
  void the_dashboard_shows_counts_the_expiry_chart_and_the_panels() {
    String id = createSubscription("Dash Chart " + System.nanoTime());
    issued(id, "P10D");
    signInAsAdmin();
    assertThat(driver.findElement(By.cssSelector("#count-EXPIRING .value")).getText())
        .isNotEqualTo("0");
    assertThat(driver.findElements(By.cssSelector("svg.chart rect.bar"))).hasSize(26);
    assertThat(driver.findElement(By.cssSelector("#dead-letters a")).getDomAttribute("href"))
        .isEqualTo("/console/deliveries?status=DEAD");
    assertThat(driver.findElement(By.cssSelector("#open-renewals a")).getDomAttribute("href"))
        .isEqualTo("/console/renewal-requests");
    assertThat(driver.findElement(By.id("gaps")).getText()).contains("None.");
  }
}
