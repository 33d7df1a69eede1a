package dev.keyturn.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.BrowserTest;
import dev.keyturn.server.support.OnH2;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

@OnH2
class RenewalQueueBrowserTest extends BrowserTest {

  @Test
  void support_sees_an_open_request_with_its_customer_and_closes_it_with_a_note() {
    String sub = createSubscription("Queue Corp");
    issued(sub, "P20D");
    Api.Response asked =
        as(Role.SALES)
            .post(
                "/api/v1/renewal-requests",
                Map.of("subscription_id", sub, "message", "Customer wants 3 more years"));
    assertThat(asked.status()).as(asked.toString()).isEqualTo(201);
    String id = asked.field("id");

    signInAs(Role.SUPPORT);
    open("/console/renewal-requests");
    WebElement row = driver.findElement(By.cssSelector("tr[data-id='" + id + "']"));
    assertThat(row.getText()).contains("Queue Corp", "medium", "Customer wants 3 more years");
    assertThat(row.findElement(By.linkText("Queue Corp")).getDomAttribute("href"))
        .isEqualTo("/console/subscriptions/" + sub);

    row.findElement(By.name("note")).sendKeys("Quote Q-9 sent");
    row.findElement(By.cssSelector("button.close")).click();
    waitUntil(d -> pageText().contains("Renewal request " + id + " closed."));
    assertThat(first(By.cssSelector("tr[data-id='" + id + "']"))).isEmpty();

    open("/console/renewal-requests?state=CLOSED");
    assertThat(driver.findElement(By.cssSelector("tr[data-id='" + id + "']")).getText())
        .contains("support-user");
    assertThat(admin().get("/api/v1/events?type=renewal.closed&subscription_id=" + sub).body())
        .contains("Quote Q-9 sent");
  }

  @Test
  void a_read_only_user_sees_the_queue_without_the_close_form() {
    String sub = createSubscription("Queue Reader Corp");
    issued(sub, "P20D");
    Api.Response asked =
        as(Role.SALES).post("/api/v1/renewal-requests", Map.of("subscription_id", sub));
    assertThat(asked.status()).as(asked.toString()).isEqualTo(201);
    signInAs(Role.READONLY);
    open("/console/renewal-requests");
    WebElement row = driver.findElement(By.cssSelector("tr[data-id='" + asked.field("id") + "']"));
    assertThat(row.getText()).contains("Queue Reader Corp");
    assertThat(row.findElements(By.cssSelector("form"))).isEmpty();
  }
}
