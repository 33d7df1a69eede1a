package dev.keyturn.server.web.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.delivery.DeliveryWorker;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.ConsoleSession;
import dev.keyturn.server.support.FreezableTcpProxy;
import dev.keyturn.server.support.OnH2;
import dev.keyturn.server.support.ServerTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * An SMTP server that accepts connections and never answers (the worst case) does not touch
 * liveness or readiness, nor slow the health endpoint; it shows as DEGRADED in the details.
 */
@OnH2
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class HealthH2Test extends ServerTest {
  private static final FreezableTcpProxy SMTP = FreezableTcpProxy.silent();

  @DynamicPropertySource
  static void smtp(DynamicPropertyRegistry r) {
    r.add("spring.mail.host", () -> "127.0.0.1");
    r.add("spring.mail.port", SMTP::port);
    r.add("spring.mail.properties.mail.smtp.timeout", () -> "1000");
  }

  @Autowired DeliveryWorker deliveries;
  @Autowired JdbcClient jdbc;

  @Test
  void a_hanging_smtp_server_cannot_hold_a_delivery_run() {
    String sub = createSubscription("Hanging Smtp Corp " + System.nanoTime());
    assertThat(issue(as(Role.SALES), sub, Map.of("duration", "P30D")).status()).isEqualTo(201);

    long start = System.nanoTime();
    deliveries.runMails();

    // The read timeout (1 s here, 30 s by default) ends the wait; the mail is retried later.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    assertThat(
            jdbc.sql(
                    "select state, last_error from outbox where kind = 'MAIL' and subscription_id = ?")
                .param(sub)
                .query((rs, n) -> rs.getString(1) + " " + rs.getString(2))
                .list())
        .isNotEmpty()
        .allSatisfy(row -> assertThat(row).startsWith("PENDING").contains("reading response"));
  }

  @AfterAll
  static void closeSmtp() {
    SMTP.close();
  }

  @Test
  void a_hanging_smtp_server_is_reported_but_never_makes_the_server_unhealthy() throws Exception {
    anonymous().get("/actuator/health/liveness"); // the endpoint's first call warms it up
    for (String path :
        new String[] {
          "/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"
        }) {
      long start = System.nanoTime();
      Api.Response r = anonymous().get(path);
      assertThat(r.status()).as(path + ": " + r).isEqualTo(200);
      assertThat(r.json().get("status").asString()).isEqualTo("UP");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
    assertThat(anonymous().get("/actuator/health").body()).doesNotContain("smtp");

    JsonNode smtp = null;
    for (int i = 0; i < 50; i++) {
      JsonNode health = admin().get("/actuator/health").json();
      assertThat(health.get("status").asString()).isEqualTo("UP");
      smtp = health.get("components").get("smtp");
      if ("DEGRADED".equals(smtp.get("status").asString())) {
        break;
      }
      Thread.sleep(200);
    }
    assertThat(smtp.get("status").asString()).isEqualTo("DEGRADED");
    assertThat(smtp.get("details").get("host").asString()).isEqualTo("127.0.0.1:" + SMTP.port());
    String adminPage =
        ConsoleSession.signIn(port, "admin", ADMIN_PASSWORD).get("/console/admin").body();
    assertThat(adminPage).contains("id=\"smtp-status\">DEGRADED<");
    JsonNode readiness = admin().get("/actuator/health/readiness").json();
    assertThat(readiness.get("components").has("smtp")).isFalse();
    assertThat(readiness.get("components").has("database")).isTrue();
  }
}
