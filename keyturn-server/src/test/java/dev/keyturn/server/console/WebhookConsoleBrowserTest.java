package dev.keyturn.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.keyturn.server.delivery.DeliveryWorker;
import dev.keyturn.server.support.BrowserTest;
import dev.keyturn.server.support.OnH2;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

@OnH2
class WebhookConsoleBrowserTest extends BrowserTest {
  @Autowired DeliveryWorker worker;

  /** A webhook receiver on this machine that answers {@link #answer}. */
  private HttpServer receiver;

  private final AtomicInteger answer = new AtomicInteger(200);
  private final List<String> signatures = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startReceiver() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          signatures.add(exchange.getRequestHeaders().getFirst("Keyturn-Signature"));
          byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(answer.get(), body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    receiver.start();
  }

  /** Other tests share this server: leave no endpoint behind that would collect their events. */
  @AfterEach
  void stopReceiver() {
    for (JsonNode e : admin().get("/api/v1/webhook-endpoints").json()) {
      if (e.get("url").asString().equals(receiverUrl()) && e.get("enabled").asBoolean()) {
        admin().post("/api/v1/webhook-endpoints/" + e.get("id").asString() + "/disable", null);
      }
    }
    receiver.stop(0);
  }

  private String receiverUrl() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
  }

  /** Adds an endpoint for every event; returns its page's address. */
  private String addEndpoint() {
    signInAsAdmin();
    open("/console/webhooks");
    driver.findElement(By.id("url")).sendKeys(receiverUrl());
    driver.findElement(By.cssSelector("input[name='event_types'][value='*']")).click();
    driver.findElement(By.id("add")).click();
    waitUntil(d -> first(By.id("secret")).isPresent());
    return driver.getCurrentUrl();
  }

  @Test
  void an_added_endpoint_shows_its_secret_once_and_a_test_send_arrives_signed() {
    String page = addEndpoint();
    assertThat(driver.findElement(By.id("secret")).getText()).startsWith("whsec_");
    driver.get(page);
    assertThat(first(By.id("secret"))).isEmpty();

    driver.findElement(By.id("test-send")).click();
    waitUntil(d -> pageText().contains("delivered: the endpoint answered 2xx"));
    assertThat(signatures).hasSize(1);
    assertThat(signatures.get(0)).isNotBlank();
    WebElement row = driver.findElement(By.cssSelector("#deliveries tbody tr"));
    assertThat(row.getText()).contains("webhook.test", "DELIVERED");

    driver.findElement(By.id("disable")).click();
    waitUntil(d -> pageText().contains("Endpoint disabled"));
    assertThat(driver.findElement(By.id("endpoint-state")).getText()).isEqualTo("disabled");
  }

  @Test
  void a_failed_test_send_shows_the_answer_and_its_dead_letter_is_re_queued_by_a_retry() {
    answer.set(503);
    addEndpoint();
    driver.findElement(By.id("test-send")).click();
    waitUntil(d -> first(By.cssSelector(".flash-error")).isPresent());
    assertThat(driver.findElement(By.cssSelector(".flash-error")).getText()).contains("503");
    long id =
        Long.parseLong(
            driver.findElement(By.cssSelector("#deliveries tbody tr")).getDomAttribute("data-id"));

    // The worker keeps failing it until it is dead (attempts ignore backoff here).
    while (driver.findElements(By.cssSelector("#deliveries tr[data-id='" + id + "']")).size() == 1
        && !driver
            .findElement(By.cssSelector("#deliveries tr[data-id='" + id + "']"))
            .getText()
            .contains("DEAD")) {
      worker.attemptNow(id);
      driver.navigate().refresh();
    }

    answer.set(200);
    open("/console/deliveries?status=DEAD");
    WebElement dead = driver.findElement(By.cssSelector("#deliveries tr[data-id='" + id + "']"));
    assertThat(dead.getText()).contains("DEAD", "answered 503");
    screenshot("console-dead-letters");
    dead.findElement(By.cssSelector("button.retry")).click();
    waitUntil(d -> pageText().contains("Delivery " + id + " re-queued"));
    assertThat(first(By.cssSelector("#deliveries tr[data-id='" + id + "']"))).isEmpty();

    open("/console/deliveries?status=PENDING");
    assertThat(driver.findElement(By.cssSelector("#deliveries tr[data-id='" + id + "']")).getText())
        .contains("PENDING");
    worker.attemptNow(id);
    open("/console/deliveries/" + id);
    assertThat(driver.findElement(By.id("attempts")).getText()).contains("delivered (2xx)");
    open("/console/audit?type=delivery.retried");
    assertThat(driver.findElement(By.id("events")).getText())
        .contains("admin", "delivery_id=" + id);
  }
}
