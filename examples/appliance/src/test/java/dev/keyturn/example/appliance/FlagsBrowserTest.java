package dev.keyturn.example.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.keyturn.client.checkin.CheckInSettings;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/** What the client adds to the stage banner: a clock turned back, a failing payment. */
class FlagsBrowserTest extends BrowserTestBase {
  @Test
  void a_clock_turned_back_is_said_in_the_banner_which_cannot_be_closed() {
    start();
    seedNotes();
    jumpTo("D-15");
    demo.turnBack(Duration.ofDays(3));
    openProduct("/");

    WebElement banner = banner().orElseThrow();
    assertThat(banner.getText())
        .contains("The system clock says")
        .contains("behind the latest time this product has seen")
        .contains("expires in 15 days");
    assertThat(closeButton()).isEmpty();
    screenshot("banner-clock-rollback");
  }

  @Test
  void a_failing_payment_reported_at_check_in_is_said_in_the_banner() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          byte[] body =
              ("{\"standing\":{\"payment_failing\":true,\"message\":"
                      + "\"Your last payment failed: update your card to keep Acme Notes running.\"},"
                      + "\"revoked\":false,\"license\":null,\"check_in_after\":\"PT12H\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    try {
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
      start("appliance", b -> b, b -> b.checkIn(CheckInSettings.builder(uri).build()));
      app.licenses().checkIn();
      openProduct("/");

      WebElement banner = banner().orElseThrow();
      assertThat(banner.getText()).contains("Your last payment failed: update your card");
      assertThat(banner.getAttribute("data-level")).isEqualTo("WARNING");
      assertThat(closeButton()).isEmpty();
    } finally {
      server.stop(0);
    }
  }
}
