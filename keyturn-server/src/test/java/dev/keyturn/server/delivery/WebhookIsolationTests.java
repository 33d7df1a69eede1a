package dev.keyturn.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.ConsoleSession;
import dev.keyturn.server.support.FreezableTcpProxy;
import dev.keyturn.server.support.ServerTest;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The server as in production (its own scheduler running, real SMTP), with 100 webhook deliveries
 * queued to an endpoint that accepts connections and never answers: a portal sign-in mail still
 * reaches the SMTP server within 15 s, because mails and webhooks run as separate tasks and
 * webhooks go out in parallel, outside any transaction.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
abstract class WebhookIsolationTests extends ServerTest {
  static final int SMTP_PORT = freePort();
  static final GreenMail SMTP = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"));
  static final FreezableTcpProxy HANGING = FreezableTcpProxy.silent();

  @Autowired Outbox outbox;

  static void production(DynamicPropertyRegistry r) {
    r.add("keyturn.scheduler.enabled", () -> "true");
    r.add("spring.mail.host", () -> "127.0.0.1");
    r.add("spring.mail.port", () -> SMTP_PORT);
  }

  @AfterAll
  static void stop() {
    SMTP.stop();
    HANGING.close();
  }

  @Test
  void a_sign_in_mail_arrives_within_15_s_while_100_webhooks_hang() throws Exception {
    SMTP.start();
    String email = "signin-" + System.nanoTime() + "@isolation.example";
    Map<String, Object> body = subscription("Isolation Corp " + System.nanoTime());
    body.put("contacts", Map.of("admin_emails", List.of(email), "billing_emails", List.of()));
    // By the bootstrap admin: this context shares PostgreSQL's users with others, so no as(role).
    assertThat(admin().post("/api/v1/subscriptions", body).status()).isEqualTo(201);
    Api.Response endpoint =
        admin()
            .post(
                "/api/v1/webhook-endpoints",
                Map.of(
                    "url",
                    "http://127.0.0.1:" + HANGING.port() + "/hook",
                    "secret",
                    "whsec_isolation_test_secret",
                    "event_types",
                    List.of("license.issued")));
    assertThat(endpoint.status()).as(endpoint.toString()).isEqualTo(201);
    List<Outbox.Entry> hooks = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      hooks.add(
          Outbox.webhookEntry(
              endpoint.field("id"),
              "http://127.0.0.1:" + HANGING.port() + "/hook",
              "license.issued",
              null,
              "{\"n\":" + i + "}"));
    }
    outbox.enqueue(hooks);
    Thread.sleep(12_000); // the webhook task is now busy with posts that never get an answer

    ConsoleSession browser = ConsoleSession.anonymous(port);
    String csrf = browser.csrfOf("/portal");
    long asked = System.nanoTime();
    assertThat(
            browser
                .post("/portal/sign-in-link", Map.of("email", email, "_csrf", csrf))
                .statusCode())
        .isEqualTo(302);

    boolean arrived = false;
    while (!arrived && System.nanoTime() - asked < Duration.ofSeconds(15).toNanos()) {
      arrived = Arrays.stream(SMTP.getReceivedMessages()).anyMatch(m -> sentTo(m, email));
      Thread.sleep(100);
    }
    assertThat(arrived).as("the sign-in mail reached the SMTP server within 15 s").isTrue();
  }

  private static boolean sentTo(MimeMessage m, String email) {
    try {
      return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equals(email));
    } catch (Exception e) {
      return false;
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
