package dev.keyturn.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.ServerTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * DNS rebinding: a webhook host whose name answers a public address when the server checks it and
 * loopback a moment later. The server as in production (internal addresses refused), with its DNS
 * replaced by a scripted one. The receiver listens on loopback: reaching it would be the attack.
 */
@TestPropertySource(properties = "keyturn.webhooks.allow-private=false")
@Import(WebhookRebindingTests.ScriptedDns.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
abstract class WebhookRebindingTests extends ServerTest {
  /** TEST-NET-3: public to the egress check, and no receiver of this test is there. */
  private static final InetAddress PUBLIC = address(203, 0, 113, 10);

  private static final InetAddress LOOPBACK = address(127, 0, 0, 1);

  @Autowired Outbox outbox;
  @Autowired DeliveryWorker deliveries;
  @Autowired ScriptedDns dns;

  private HttpServer receiver;
  private final AtomicInteger received = new AtomicInteger();

  @BeforeEach
  void listen() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          received.incrementAndGet();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    receiver.start();
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
  }

  /** {@code localhost}: the system's DNS would answer loopback, as a rebinding one does later. */
  private String url() {
    return "http://localhost:" + receiver.getAddress().getPort() + "/hook";
  }

  private String registeredWhilePublic() {
    dns.script("localhost", PUBLIC);
    Api.Response endpoint =
        admin()
            .post(
                "/api/v1/webhook-endpoints",
                Map.of(
                    "url",
                    url(),
                    "secret",
                    "whsec_rebinding_test_secret",
                    "event_types",
                    List.of("license.issued")));
    assertThat(endpoint.status()).as(endpoint.toString()).isEqualTo(201);
    return endpoint.field("id");
  }

  private String lastError(String endpointId) {
    return admin()
        .get("/api/v1/deliveries?endpoint_id=" + endpointId)
        .json()
        .get(0)
        .get("last_error")
        .asString();
  }

  @Test
  void a_name_that_rebinds_to_loopback_after_the_check_reaches_only_the_checked_address() {
    String id = registeredWhilePublic();
    outbox.enqueue(List.of(Outbox.webhookEntry(id, url(), "license.issued", null, "{}")));

    dns.script("localhost", PUBLIC, LOOPBACK); // the check's answer, then loopback for ever
    deliveries.runWebhooks();

    assertThat(received).as("the loopback receiver").hasValue(0);
    assertThat(dns.lookups("localhost"))
        .as("one answer per delivery, checked and used")
        .isEqualTo(1);
    assertThat(lastError(id)).contains(PUBLIC.getHostAddress());
    admin().post("/api/v1/webhook-endpoints/" + id + "/disable", null);
  }

  @Test
  void a_name_that_answers_loopback_at_delivery_time_is_refused_before_any_connection() {
    String id = registeredWhilePublic();
    outbox.enqueue(List.of(Outbox.webhookEntry(id, url(), "license.issued", null, "{}")));

    dns.script("localhost", LOOPBACK);
    deliveries.runWebhooks();

    assertThat(received).hasValue(0);
    assertThat(lastError(id)).contains("internal address");
    admin().post("/api/v1/webhook-endpoints/" + id + "/disable", null);
  }

  private static InetAddress address(int a, int b, int c, int d) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Answers each name from a script: the next answer per lookup, the last one for ever after. The
   * server's resolver in this test's context (imported as a bean).
   */
  static final class ScriptedDns implements WebhookEgress.Resolver {
    private final Map<String, List<InetAddress>> answers = new java.util.HashMap<>();
    private final Map<String, Integer> lookups = new java.util.HashMap<>();

    synchronized void script(String host, InetAddress... sequence) {
      answers.put(host, new ArrayList<>(List.of(sequence)));
      lookups.put(host, 0);
    }

    synchronized int lookups(String host) {
      return lookups.getOrDefault(host, 0);
    }

    @Override
    public synchronized InetAddress[] resolve(String host) throws UnknownHostException {
      List<InetAddress> script = answers.get(host);
      if (script == null) {
        throw new UnknownHostException(host + " (not in this test's script)");
      }
      lookups.merge(host, 1, Integer::sum);
      return new InetAddress[] {script.size() > 1 ? script.remove(0) : script.get(0)};
    }
  }
}
