package dev.keyturn.example.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/** A page on another site cannot drive the license routes with the user's browser. */
class CrossSiteBrowserTest extends BrowserTestBase {
  @Test
  void a_form_on_another_site_cannot_dismiss_the_banner() throws Exception {
    start();
    jumpTo("D-30");
    String target = app.url().resolve("/license/banner/dismiss").toString();
    // Another origin: same machine, another port.
    HttpServer evil =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    evil.createContext(
        "/",
        exchange -> {
          byte[] page =
              ("<!doctype html><title>Win a prize</title>"
                      + "<form id=f method=post action=\""
                      + target
                      + "\"><button id=go>Claim</button></form>")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(200, page.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(page);
          }
        });
    evil.start();
    try {
      driver.get("http://127.0.0.1:" + evil.getAddress().getPort() + "/");
      driver.findElement(By.id("go")).click();
      waitUntil(d -> d.getCurrentUrl().equals(target));

      assertThat(pageText()).contains("Cross-site request refused");
      openProduct("/");
      assertThat(banner().orElseThrow().getAttribute("data-display")).isEqualTo("SHOWN");
    } finally {
      evil.stop(0);
    }
  }
}
