package dev.keyturn.server.delivery.internal;

import dev.keyturn.server.delivery.WebhookEgress;
import dev.keyturn.server.delivery.WebhookSignature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Posts a signed webhook; anything but a 2xx answer is a failed attempt. */
@Component
public class WebhookTransport {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(TIMEOUT)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final JdbcClient jdbc;
  private final Clock clock;
  private final WebhookEgress egress;

  WebhookTransport(JdbcClient jdbc, Clock clock, WebhookEgress egress) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.egress = egress;
  }

  public void post(long outboxId, String endpointId, String url, String body) {
    // Checked again at each delivery: the name may resolve elsewhere since registration.
    egress
        .refusal(url)
        .ifPresent(
            reason -> {
              throw new IllegalStateException("refused to post to " + url + ": " + reason);
            });
    // The secret is read at send time, so a rotated secret applies to retries too.
    String secret =
        jdbc.sql("select secret from webhook_endpoints where id = ?")
            .param(endpointId)
            .query(String.class)
            .single();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .header("Keyturn-Delivery", Long.toString(outboxId))
            .header(WebhookSignature.HEADER, WebhookSignature.header(secret, clock.instant(), body))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("POST " + url + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while posting to " + url, e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException("POST " + url + " answered " + response.statusCode());
    }
  }
}
