package dev.keyturn.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.KeyturnServer;
import dev.keyturn.server.delivery.Outbox;
import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.FreezableTcpProxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Real servers with their own schedulers on one database. SIGTERM (a context close, which is what
 * the JVM's shutdown hook does) stops a server within 20 s while webhooks hang, losing none; after
 * a kill -9 (its executions left picked, their heartbeat stopped) the next server runs the
 * deliveries and the sweep again within 2 minutes.
 */
abstract class CrashRecoveryTests {
  // The bootstrap admin of the other tests: on PostgreSQL it exists already, with this password.
  private static final String PASSWORD = dev.keyturn.server.support.ServerTest.ADMIN_PASSWORD;
  private final Clock wall = Clock.systemUTC(); // real servers, real time

  /** The database both servers share, as command-line arguments. */
  abstract List<String> database();

  private ConfigurableApplicationContext start() {
    List<String> args = new ArrayList<>(database());
    args.addAll(
        List.of(
            "--server.port=0",
            "--keyturn.admin-password=" + PASSWORD,
            "--keyturn.master-key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
            "--keyturn.scheduler.enabled=true",
            "--keyturn.delivery.interval=PT2S",
            "--keyturn.webhooks.allow-private=true",
            "--logging.level.root=WARN"));
    return new SpringApplicationBuilder(KeyturnServer.class).run(args.toArray(String[]::new));
  }

  private static int port(ConfigurableApplicationContext server) {
    return ((WebServerApplicationContext) server).getWebServer().getPort();
  }

  @Test
  void sigterm_stops_within_20_s_losing_nothing_and_a_crash_is_recovered_within_2_minutes()
      throws Exception {
    List<Long> hooks;
    JdbcClient jdbc;
    String endpointId;
    try (FreezableTcpProxy hanging = FreezableTcpProxy.silent()) {
      ConfigurableApplicationContext first = start();
      jdbc = first.getBean(JdbcClient.class);
      String url = "http://127.0.0.1:" + hanging.port() + "/hook";
      Api.Response endpoint =
          new Api(port(first), Api.basic("admin", PASSWORD))
              .post(
                  "/api/v1/webhook-endpoints",
                  Map.of(
                      "url",
                      url,
                      "secret",
                      "whsec_crash_test_secret",
                      "event_types",
                      List.of("license.issued")));
      assertThat(endpoint.status()).as(endpoint.toString()).isEqualTo(201);
      endpointId = endpoint.field("id");
      List<Outbox.Entry> entries = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        entries.add(Outbox.webhookEntry(endpoint.field("id"), url, "license.issued", null, "{}"));
      }
      first.getBean(Outbox.class).enqueue(entries);
      hooks =
          jdbc.sql("select id from outbox where endpoint_id = ?")
              .param(endpoint.field("id"))
              .query(Long.class)
              .list();
      await(
          Duration.ofSeconds(30),
          () ->
              jdbc.sql(
                          "select count(*) from scheduled_tasks where task_name = 'keyturn-webhooks'"
                              + " and picked = true")
                      .query(Long.class)
                      .single()
                  > 0);

      long stopping = System.nanoTime();
      first.close();
      assertThat(Duration.ofNanos(System.nanoTime() - stopping))
          .as("stop on SIGTERM")
          .isLessThan(Duration.ofSeconds(20));
    }

    ConfigurableApplicationContext second = start();
    try {
      JdbcClient db = second.getBean(JdbcClient.class);
      // None lost: every webhook is still to be sent (the endpoint never answered).
      assertThat(
              db.sql("select count(*) from outbox where id in (:ids) and state = 'PENDING'")
                  .param("ids", hooks)
                  .query(Long.class)
                  .single())
          .isEqualTo(hooks.size());

      // What kill -9 leaves: executions picked by a server that is gone, heartbeat 10 s old.
      Instant killed = wall.instant().minusSeconds(10);
      db.sql(
              "update scheduled_tasks set picked = true, picked_by = 'crashed-server',"
                  + " last_heartbeat = ?, execution_time = ? where task_name in"
                  + " ('keyturn-deliveries', 'keyturn-sweep')")
          .params(Db.ts(killed), Db.ts(killed))
          .update();
      Instant restarted = wall.instant();
      await(
          Duration.ofMinutes(2),
          () ->
              db.sql(
                          "select count(*) from scheduled_tasks where task_name in"
                              + " ('keyturn-deliveries', 'keyturn-sweep') and picked_by is"
                              + " distinct from 'crashed-server' and last_success > ?")
                      .param(Db.ts(restarted))
                      .query(Long.class)
                      .single()
                  == 2);
    } finally {
      // On PostgreSQL the schema is shared with other tests, which count their own webhooks.
      new Api(port(second), Api.basic("admin", PASSWORD))
          .post("/api/v1/webhook-endpoints/" + endpointId + "/disable", null);
      second.close();
    }
  }

  private static void await(Duration limit, java.util.function.BooleanSupplier done)
      throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("within " + limit).isLessThan(end);
      Thread.sleep(500);
    }
  }
}
