package dev.keyturn.server.delivery.internal;

import dev.keyturn.server.delivery.WebhookEgress;
import dev.keyturn.server.delivery.WebhookSignature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import javax.net.ssl.SSLContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Posts a signed webhook; anything but a 2xx answer is a failed attempt. */
@Component
public class WebhookTransport {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final JdbcClient jdbc;
  private final Clock clock;
  private final WebhookEgress egress;
  private final PinnedHttp http;

  @Autowired
  WebhookTransport(JdbcClient jdbc, Clock clock, WebhookEgress egress)
      throws NoSuchAlgorithmException {
    this(jdbc, clock, egress, new PinnedHttp(SSLContext.getDefault(), TIMEOUT));
  }

  WebhookTransport(JdbcClient jdbc, Clock clock, WebhookEgress egress, PinnedHttp http) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.egress = egress;
    this.http = http;
  }

  /**
   * @throws EndpointDisabledException when the endpoint was disabled since the row was queued:
   *     nothing is sent
   */
  public void post(long outboxId, String endpointId, String url, String body) {
    // The secret is read at send time, so a rotated secret applies to retries too; and only for an
    // enabled endpoint: one disabled after this row was queued or claimed gets nothing.
    String secret =
        jdbc.sql("select secret from webhook_endpoints where id = ? and enabled = true")
            .param(endpointId)
            .query(String.class)
            .optional()
            .orElseThrow(() -> new EndpointDisabledException(endpointId));
    // Checked again at each delivery (the name may resolve elsewhere since registration), and the
    // connection goes to the addresses checked here, never to a second answer for the name.
    WebhookEgress.Checked checked = egress.destination(url);
    if (checked instanceof WebhookEgress.Refused refused) {
      throw new IllegalStateException("refused to post to " + url + ": " + refused.reason());
    }
    WebhookEgress.Destination destination = ((WebhookEgress.Allowed) checked).destination();
    Map<String, String> headers =
        Map.of(
            "Keyturn-Delivery",
            Long.toString(outboxId),
            WebhookSignature.HEADER,
            WebhookSignature.header(secret, clock.instant(), body));
    int status;
    try {
      status = http.post(destination, headers, body);
    } catch (IOException e) {
      // Which address was tried: the one the check pinned, whatever the name says by now.
      throw new UncheckedIOException(
          "POST " + url + " " + addresses(destination) + " failed: " + e.getMessage(), e);
    }
    if (status / 100 != 2) {
      throw new IllegalStateException("POST " + url + " answered " + status);
    }
  }

  private static String addresses(WebhookEgress.Destination destination) {
    StringJoiner joined = new StringJoiner(", ", "(at ", ")");
    destination.addresses().forEach(a -> joined.add(a.getHostAddress()));
    return joined.toString();
  }

  /** The endpoint was disabled: the delivery is cancelled, not retried. */
  public static final class EndpointDisabledException extends IllegalStateException {
    EndpointDisabledException(String endpointId) {
      super("endpoint " + endpointId + " is disabled: nothing sent");
    }
  }
}
