package dev.keyturn.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.clock.TestClock;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.BrowserTest;
import dev.keyturn.server.support.OnH2;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A realistic fleet, dated on the test clock: some licenses lapsed nine days ago (one locked after
 * a subscription's 7-day grace, one in an appliance's 60-day grace), the rest issued afterwards
 * with expiries spread over a year, some renewed by payments. The screenshots in docs/images come
 * from here (run with -Dkeyturn.screenshots=docs/images).
 */
@OnH2
class ConsoleFleetBrowserTest extends BrowserTest {

  @Test
  void a_seeded_fleet_shows_every_phase_with_the_next_expiry_first() {
    String locked = seed("Northwind Traders", "subscription", "PRIMARY", List.of());
    issue(locked, "P1D", List.of());
    String grace = seed("Globex Corporation", "appliance", "PRIMARY", List.of());
    issue(grace, "P2D", List.of());
    ((TestClock) clock).advance(Duration.ofDays(9));

    String tomorrow = seed("Initech", "appliance", "PRIMARY", List.of());
    issue(tomorrow, "P1DT6H", List.of());
    issue(
        seed("Umbrella Labs (staging)", "appliance", "SECONDARY", List.of()),
        "P5D",
        List.of("dev"));
    issue(seed("Stark Industries", "appliance", "PRIMARY", List.of()), "P12D", List.of());
    issue(seed("Wayne Enterprises", "subscription", "PRIMARY", List.of()), "P26D", List.of());
    issue(seed("Acme Corp", "appliance", "PRIMARY", List.of()), "P45D", List.of());
    issue(seed("Hooli", "subscription", "PRIMARY", List.of()), "P64D", List.of());
    issue(seed("Vandelay Industries", "appliance", "PRIMARY", List.of()), "P90D", List.of());
    issue(seed("Keyturn QA", "appliance", "INTERNAL", List.of()), "P120D", List.of("internal"));
    issue(seed("Soylent", "appliance", "PRIMARY", List.of()), "P150D", List.of());
    String paid = seed("Cyberdyne Systems", "appliance", "PRIMARY", List.of());
    issue(paid, "P20D", List.of());
    pay(paid, Duration.ofDays(365), "INV-2026-0412");
    pay(seed("Tyrell Corp", "appliance", "PRIMARY", List.of()), Duration.ofDays(170), "PO-88231");
    pay(
        seed("Massive Dynamic", "subscription", "PRIMARY", List.of()),
        Duration.ofDays(31),
        "INV-2026-0533");

    signInAs(Role.SALES);
    assertThat(count("LOCKED")).isPositive();
    assertThat(count("GRACE")).isPositive();
    assertThat(count("EXPIRING")).isPositive();
    assertThat(count("ACTIVE")).isPositive();
    List<WebElement> rows = driver.findElements(By.cssSelector("#expiries tbody tr[data-expires]"));
    List<Instant> expiries = new ArrayList<>();
    List<String> order = new ArrayList<>();
    for (WebElement row : rows) {
      expiries.add(Instant.parse(row.getDomAttribute("data-expires")));
      order.add(row.getDomAttribute("data-subscription"));
    }
    assertThat(expiries).isSorted();
    assertThat(order).containsSubsequence(locked, grace, tomorrow, paid);
    screenshot("console-dashboard");

    open("/console/subscriptions/" + paid);
    assertThat(driver.findElements(By.cssSelector("#licenses tr[data-license]"))).hasSize(2);
    screenshot("console-subscription");
  }

  private long count(String phase) {
    return Long.parseLong(
        driver.findElement(By.cssSelector("#count-" + phase + " .value")).getText());
  }

  private String seed(String name, String policy, String instanceType, List<String> features) {
    Map<String, Object> body =
        subscription(name.replaceAll("[^A-Za-z ]", "") + " " + System.nanoTime() % 1000);
    body.put("display_name", name);
    body.put("policy_preset", policy);
    body.put("instance_type", instanceType);
    body.put("auto_renew", !"appliance".equals(policy));
    if (!features.isEmpty()) {
      body.put("features", features);
    }
    Api.Response created = as(Role.SALES).post("/api/v1/subscriptions", body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.field("id");
  }

  private void issue(String id, String duration, List<String> tags) {
    Api.Response r = issue(as(Role.SALES), id, Map.of("duration", duration, "tags", tags));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
  }

  private void pay(String id, Duration through, String reference) {
    Api.Response r =
        as(Role.SALES)
            .post(
                "/api/v1/subscriptions/" + id + "/payments",
                Map.of(
                    "reference",
                    reference,
                    "amount",
                    "4800.00 EUR",
                    "paid_through",
                    clock.instant().plus(through).toString()));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
  }
}
