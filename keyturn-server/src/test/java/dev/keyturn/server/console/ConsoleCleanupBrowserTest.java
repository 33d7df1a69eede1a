package dev.keyturn.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.BrowserTest;
import dev.keyturn.server.support.OnH2;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

@OnH2
class ConsoleCleanupBrowserTest extends BrowserTest {

  @Test
  void clean_up_revokes_a_test_tagged_license_and_leaves_an_untagged_one_alone() {
    String tested = createSubscription("Cleanup Tagged " + System.nanoTime());
    String kept = createSubscription("Cleanup Untagged " + System.nanoTime());
    String testLicense =
        issue(as(Role.SALES), tested, Map.of("duration", "P30D", "tags", List.of("test")))
            .field("id");
    String untagged = issued(kept, "P30D").field("id");

    signInAs(Role.SALES);
    open("/console/cleanup");
    assertThat(first(By.cssSelector("tr[data-license='" + testLicense + "']"))).isPresent();
    assertThat(first(By.cssSelector("tr[data-license='" + untagged + "']"))).isEmpty();
    assertThat(
            driver.findElement(By.cssSelector("tr[data-license='" + testLicense + "']")).getText())
        .contains("tagged test");

    driver.findElement(By.id("pick-" + testLicense)).click();
    driver.findElement(By.id("cleanup-reason")).sendKeys("test instance torn down");
    driver.findElement(By.id("bulk-revoke")).click();
    waitUntil(d -> pageText().contains("Revoked 1 license(s)."));

    assertThat(first(By.cssSelector("tr[data-license='" + testLicense + "']"))).isEmpty();
    assertThat(admin().get("/api/v1/licenses/" + testLicense).json().get("revoked").asBoolean())
        .isTrue();
    assertThat(admin().get("/api/v1/licenses/" + untagged).json().get("revoked").asBoolean())
        .isFalse();
    var events =
        admin().get("/api/v1/events?license_id=" + testLicense + "&type=license.revoked").json();
    assertThat(events).hasSize(1);
    assertThat(events.get(0).get("actor").asString()).isEqualTo("sales-user");
    assertThat(events.get(0).get("metadata").get("reason").asString())
        .isEqualTo("test instance torn down");
  }

  @Test
  void clean_up_without_a_reason_changes_nothing() {
    String tested = createSubscription("Cleanup No Reason " + System.nanoTime());
    String testLicense =
        issue(as(Role.SALES), tested, Map.of("duration", "P30D", "tags", List.of("dev")))
            .field("id");
    signInAs(Role.SALES);
    open("/console/cleanup");
    driver.findElement(By.id("pick-" + testLicense)).click();
    // The browser insists on the required reason; remove that to post as a hand-made form would.
    driver.executeScript("document.getElementById('cleanup-reason').removeAttribute('required')");
    driver.findElement(By.id("bulk-revoke")).click();
    waitUntil(d -> pageText().contains("Nothing changed"));
    assertThat(admin().get("/api/v1/licenses/" + testLicense).json().get("revoked").asBoolean())
        .isFalse();
  }
}
