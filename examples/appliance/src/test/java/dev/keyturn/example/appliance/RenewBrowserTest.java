package dev.keyturn.example.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** "Renew": a pre-filled e-mail offline, a request to the Keyturn server online. */
class RenewBrowserTest extends BrowserTestBase {
  @Test
  void renew_opens_an_email_pre_filled_with_the_license() {
    start();
    jumpTo("D-30");
    openProduct("/");

    String href = banner().orElseThrow().findElement(By.linkText("Renew")).getAttribute("href");
    String mail = URLDecoder.decode(href, StandardCharsets.UTF_8);

    assertThat(href).startsWith("mailto:renewals@vendor.example?subject=");
    assertThat(mail)
        .contains("Renewal request: Demo Customer Inc. (sub_demo_0001)")
        .contains("Customer reference: sub_demo_0001")
        .contains("Tier: standard")
        .contains("Current expiry: 2027-02-10T09:00:00Z");
  }

  @Test
  void renew_with_a_server_sends_the_request_from_the_product_and_shows_the_answer()
      throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/api/v1/renewal-requests",
        exchange -> {
          received.add(
              exchange.getRequestHeaders().getFirst("Authorization")
                  + " "
                  + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          byte[] body =
              "{\"id\":\"rr_42\",\"message\":\"Thanks! Your account manager will send the renewal today (request rr_42).\"}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(201, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    try {
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
      start("appliance", b -> b.renewalServer(uri, dir.resolve("data").resolve("license")), b -> b);
      seedNotes();
      jumpTo("D-15");
      openProduct("/");
      banner().orElseThrow().findElement(By.cssSelector("[data-keyturn-renew]")).click();

      WebElement dialog =
          waitUntil(d -> d.findElement(By.cssSelector("dialog[data-keyturn-renewal]")));
      assertThat(dialog.getText())
          .contains("Request a renewal")
          .contains("Demo Customer Inc.")
          .contains("sub_demo_0001")
          .contains("standard");
      dialog.findElement(By.name("contact_name")).sendKeys("Ana Lima");
      dialog.findElement(By.name("contact_email")).sendKeys("ana@customer.example");
      screenshot("renewal-request");
      dialog.findElement(By.cssSelector("button[type=submit]")).click();

      WebElement ok = waitUntil(d -> d.findElement(By.cssSelector("dialog .kt-result--ok")));
      assertThat(ok.getText()).contains("Your account manager will send the renewal today");
      assertThat(received).hasSize(1);
      assertThat(received.get(0))
          .startsWith("Bearer kt_lic_")
          .contains("\"subscription_id\":\"sub_demo_0001\"")
          .contains("\"contact_name\":\"Ana Lima\"")
          .contains("\"contact_email\":\"ana@customer.example\"");
    } finally {
      server.stop(0);
    }
  }
}
