package dev.keyturn.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.KeyturnServer;
import dev.keyturn.server.delivery.DeliveryWorker;
import dev.keyturn.server.license.IssueRequest;
import dev.keyturn.server.license.LicenseIssuer;
import dev.keyturn.server.security.Actor;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.subscription.Contacts;
import dev.keyturn.server.subscription.CustomerType;
import dev.keyturn.server.subscription.InstanceType;
import dev.keyturn.server.subscription.SubscriptionFields;
import dev.keyturn.server.subscription.SubscriptionService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A crash between enqueue and delivery: the first server commits the notice and its mail and stops
 * before sending; a second server on the same database sends it, once.
 */
class RestartDeliveryTest {
  private static final Actor SALES = new Actor("sales-test", Role.SALES);

  @TempDir Path dir;

  private ConfigurableApplicationContext start() {
    // Command-line arguments: they win over application.properties (builder properties would not).
    return new SpringApplicationBuilder(KeyturnServer.class)
        .run(
            "--server.port=0",
            "--keyturn.data-dir=" + dir,
            "--keyturn.admin-password=restart-test-password",
            "--keyturn.master-key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
            "--keyturn.scheduler.enabled=false",
            "--spring.datasource.url=jdbc:h2:file:"
                + dir.resolve("keyturn")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
            "--logging.level.root=WARN");
  }

  @Test
  void a_mail_enqueued_before_a_crash_is_delivered_once_after_the_restart() {
    String subscriptionId;
    try (ConfigurableApplicationContext first = start()) {
      subscriptionId =
          first
              .getBean(SubscriptionService.class)
              .create(
                  new SubscriptionFields(
                      "Restart Corp",
                      CustomerType.CUSTOMER,
                      "crm-restart",
                      null,
                      "tools.restart.example",
                      InstanceType.PRIMARY,
                      new Contacts(List.of("ops@restart.example"), List.of()),
                      null,
                      null,
                      null,
                      null,
                      null,
                      null,
                      null,
                      "medium",
                      10L,
                      Map.of(),
                      List.of(),
                      Map.of()),
                  SALES)
              .id();
      // Expires in 20 days: D-30 is crossed already, so the first sweep owes one notice.
      first
          .getBean(LicenseIssuer.class)
          .issue(
              subscriptionId, new IssueRequest(null, null, Duration.ofDays(20), null, null), SALES);
      first.getBean(Sweep.class).run();
      assertThat(
              first
                  .getBean(JdbcClient.class)
                  .sql("select target || ' ' || event_type from outbox where state = 'PENDING'")
                  .query(String.class)
                  .list())
          .containsExactly("ops@restart.example license.expiring");
    } // the server stops here, with the mail enqueued and not sent

    try (ConfigurableApplicationContext second = start()) {
      DeliveryWorker worker = second.getBean(DeliveryWorker.class);
      assertThat(worker.runOnce()).isEqualTo(1);
      assertThat(worker.runOnce()).isZero();
      second.getBean(Sweep.class).run();
      assertThat(worker.runOnce()).isZero();
      assertThat(
              second
                  .getBean(JdbcClient.class)
                  .sql("select recipient || ': ' || subject from mails")
                  .query(String.class)
                  .list())
          .containsExactly("ops@restart.example: Your Restart Corp license expires in 20 day(s)");
    }
  }

  private static long count(ConfigurableApplicationContext context, String sql) {
    return context.getBean(JdbcClient.class).sql(sql).query(Long.class).single();
  }
}
