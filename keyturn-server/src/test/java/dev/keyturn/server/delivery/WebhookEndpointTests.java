package dev.keyturn.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.keyturn.server.clock.TestClock;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.ConsoleSession;
import dev.keyturn.server.support.ServerTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

abstract class WebhookEndpointTests extends ServerTest {
  @Autowired Outbox outbox;
  @Autowired JdbcClient jdbc;
  @Autowired DeliveryWorker deliveries;

  private Api.Response register(String url) {
    return admin()
        .post(
            "/api/v1/webhook-endpoints",
            Map.of(
                "url",
                url,
                "secret",
                "whsec_endpoint_test_secret",
                "event_types",
                List.of("license.issued")));
  }

  @Test
  void a_url_with_credentials_is_refused_and_nothing_is_registered() {
    int before = admin().get("/api/v1/webhook-endpoints").json().size();
    Api.Response r = register("http://user:pw@127.0.0.1:6379/");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).contains("credentials");
    assertThat(admin().get("/api/v1/webhook-endpoints").json().size()).isEqualTo(before);
  }

  @Test
  void only_an_admin_reads_why_a_webhook_failed() {
    Api.Response endpoint = register("http://127.0.0.1:9/hook"); // nothing listens on port 9
    assertThat(endpoint.status()).as(endpoint.toString()).isEqualTo(201);
    String id = endpoint.field("id");
    outbox.enqueue(
        List.of(Outbox.webhookEntry(id, "http://127.0.0.1:9/hook", "license.issued", null, "{}")));
    deliveries.runWebhooks();

    String path = "/api/v1/deliveries?endpoint_id=" + id;
    assertThat(admin().get(path).json().get(0).get("last_error").asString())
        .contains("127.0.0.1:9");
    for (Role role : List.of(Role.SALES, Role.SUPPORT, Role.READONLY)) {
      Api.Response seen = as(role).get(path);
      assertThat(seen.json().get(0).get("last_error").asString())
          .isEqualTo("the webhook delivery failed (an admin sees why)");
      String delivery = seen.json().get(0).get("id").asString();
      assertThat(as(role).get("/api/v1/deliveries/" + delivery + "/attempts").body())
          .doesNotContain("127.0.0.1");
    }
    // The console's page of the delivery's attempts says the same, by role.
    String delivery = admin().get(path).json().get(0).get("id").asString();
    String page = "/console/deliveries/" + delivery;
    assertThat(ConsoleSession.signIn(port, "admin", ADMIN_PASSWORD).get(page).body())
        .contains("127.0.0.1:9");
    as(Role.SUPPORT); // makes the user once per server
    HttpResponse<String> support =
        ConsoleSession.signIn(port, username(Role.SUPPORT), USER_PASSWORD).get(page);
    assertThat(support.statusCode()).isEqualTo(200);
    assertThat(support.body())
        .contains("the webhook delivery failed (an admin sees why)")
        .doesNotContain("127.0.0.1");
    // Other tests on this server count their subscription's webhooks: this endpoint leaves.
    admin().post("/api/v1/webhook-endpoints/" + id + "/disable", null);
  }

  @Test
  void a_disabled_endpoint_gets_nothing_queued_for_it_and_cannot_be_test_fired() {
    Api.Response endpoint = register("http://127.0.0.1:9/hook");
    assertThat(endpoint.status()).as(endpoint.toString()).isEqualTo(201);
    String id = endpoint.field("id");
    List<Outbox.Entry> queued = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      queued.add(Outbox.webhookEntry(id, "http://127.0.0.1:9/hook", "license.issued", null, "{}"));
    }
    outbox.enqueue(queued);

    assertThat(admin().post("/api/v1/webhook-endpoints/" + id + "/disable", null).status())
        .isEqualTo(200);

    assertThat(
            jdbc.sql("select state from outbox where endpoint_id = ?")
                .param(id)
                .query(String.class)
                .list())
        .hasSize(3)
        .containsOnly("CANCELLED");
    Api.Response test = admin().post("/api/v1/webhook-endpoints/" + id + "/test", null);
    assertThat(test.status()).isEqualTo(409);
    assertThat(
            jdbc.sql("select count(*) from outbox where endpoint_id = ? and state = 'PENDING'")
                .param(id)
                .query(Long.class)
                .single())
        .isZero();
  }

  /** Answers 503 to each webhook, after the test releases it; counts what it was sent. */
  private static final class HeldReceiver implements AutoCloseable {
    final AtomicInteger requests = new AtomicInteger();
    final CountDownLatch arrived = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final HttpServer server;

    HeldReceiver() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/hook",
          exchange -> {
            requests.incrementAndGet();
            arrived.countDown();
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    @Override
    public void close() {
      release.countDown();
      server.stop(0);
    }
  }

  private String stateOf(String endpointId) {
    return jdbc.sql("select state from outbox where endpoint_id = ?")
        .param(endpointId)
        .query(String.class)
        .single();
  }

  @Test
  void an_endpoint_disabled_while_its_webhook_is_out_gets_no_retry() throws Exception {
    try (HeldReceiver receiver = new HeldReceiver()) {
      String id = register(receiver.url()).field("id");
      outbox.enqueue(
          List.of(Outbox.webhookEntry(id, receiver.url(), "license.issued", null, "{}")));
      CompletableFuture<Integer> run = CompletableFuture.supplyAsync(deliveries::runWebhooks);
      assertThat(receiver.arrived.await(30, TimeUnit.SECONDS)).isTrue();

      // Claimed and posted; the endpoint is disabled before the answer (a failure) comes back.
      assertThat(admin().post("/api/v1/webhook-endpoints/" + id + "/disable", null).status())
          .isEqualTo(200);
      receiver.release.countDown();
      run.get(60, TimeUnit.SECONDS);

      assertThat(stateOf(id)).isEqualTo("CANCELLED");
      ((TestClock) clock).advance(Duration.ofHours(1)); // past any backoff
      deliveries.runWebhooks();
      assertThat(receiver.requests).hasValue(1);
    }
  }

  @Test
  void a_webhook_queued_for_an_endpoint_disabled_meanwhile_is_cancelled_unsent() throws Exception {
    try (HeldReceiver receiver = new HeldReceiver()) {
      receiver.release.countDown();
      String id = register(receiver.url()).field("id");
      assertThat(admin().post("/api/v1/webhook-endpoints/" + id + "/disable", null).status())
          .isEqualTo(200);
      // An event published while the endpoint was being disabled: its row came in after.
      outbox.enqueue(
          List.of(Outbox.webhookEntry(id, receiver.url(), "license.issued", null, "{}")));

      deliveries.runWebhooks();

      assertThat(receiver.requests).hasValue(0);
      assertThat(stateOf(id)).isEqualTo("CANCELLED");
      assertThat(
              admin()
                  .get("/api/v1/deliveries?endpoint_id=" + id)
                  .json()
                  .get(0)
                  .get("last_error")
                  .asString())
          .isEqualTo("endpoint disabled");
    }
  }
}
