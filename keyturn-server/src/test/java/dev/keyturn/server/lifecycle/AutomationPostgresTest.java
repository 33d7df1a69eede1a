package dev.keyturn.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.kagkarlsson.scheduler.Scheduler;
import dev.keyturn.server.clock.TestClock;
import dev.keyturn.server.config.AutomationProperties;
import dev.keyturn.server.lifecycle.internal.SchedulerConfiguration;
import dev.keyturn.server.support.OnPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

@OnPostgres
class AutomationPostgresTest extends AutomationTests {
  @Autowired DataSource dataSource;
  @Autowired AutomationProperties properties;
  @Autowired JdbcClient jdbc;

  @Test
  void two_schedulers_on_one_database_send_each_notice_once() {
    String sub = createSubscription("Two Schedulers");
    Instant expires = Instant.parse(issuedWithoutMail(sub, "P40D").field("expires_at"));
    List<Scheduler> schedulers = new ArrayList<>();
    for (String name : List.of("server-a", "server-b")) {
      schedulers.add(
          SchedulerConfiguration.build(
              dataSource, sweep, deliveries, clock, properties, name, Duration.ofMillis(100)));
    }
    try {
      Instant started = clock.instant();
      schedulers.forEach(Scheduler::start);
      // A recurring task's first run is due at once. Let that start-up sweep finish before the
      // clock
      // moves: one that read the old time and finished after the move would be rescheduled a
      // quarter
      // of an hour of test time later, past this test's patience (seen once in four full runs).
      await().atMost(Duration.ofSeconds(60)).until(() -> nextRun("keyturn-sweep").isAfter(started));
      for (int days : new int[] {30, 15, 7}) {
        ((TestClock) clock).set(expires.minus(Duration.ofDays(days)));
        int expected = 4 - (days == 30 ? 3 : days == 15 ? 2 : 1);
        await()
            .atMost(
                Duration.ofSeconds(60)) // real scheduler polling; generous for a loaded CI machine
            .conditionEvaluationListener(
                condition -> {
                  if (condition.getRemainingTimeInMS() <= condition.getPollInterval().toMillis()) {
                    // A rare timeout seen once in a full run: say what the schedulers saw.
                    System.err.println("[two schedulers] " + schedulerState(sub));
                  }
                })
            .untilAsserted(
                () ->
                    assertThat(
                            admin()
                                .get(
                                    "/api/v1/mails?recipient=ops@example.com&subscription_id="
                                        + sub)
                                .json()
                                .size())
                        .isEqualTo(expected));
      }
    } finally {
      schedulers.forEach(Scheduler::stop);
    }
    assertThat(
            admin()
                .get("/api/v1/mails?recipient=ops@example.com&subscription_id=" + sub)
                .json()
                .size())
        .isEqualTo(3);
  }

  private Instant nextRun(String task) {
    return jdbc.sql("select execution_time from scheduled_tasks where task_name = ?")
        .param(task)
        .query(java.time.OffsetDateTime.class)
        .optional()
        .map(java.time.OffsetDateTime::toInstant)
        .orElse(Instant.MIN);
  }

  private String schedulerState(String sub) {
    return "clock "
        + clock.instant()
        + ", tasks "
        + jdbc.sql(
                "select task_name || ' at ' || execution_time || ' picked=' || picked || ' by '"
                    + " || coalesce(picked_by, '-') from scheduled_tasks")
            .query(String.class)
            .list()
        + ", subscription "
        + jdbc.sql(
                "select coalesce(cast(next_transition_at as varchar), 'null') || ' '"
                    + " || coalesce(phase, '-') from subscription_lifecycle where subscription_id"
                    + " = ?")
            .param(sub)
            .query(String.class)
            .single();
  }

  @Test
  void concurrent_sweeps_claim_each_notice_once() throws Exception {
    String sub = createSubscription("Racing Sweeps");
    Instant expires = Instant.parse(issuedWithoutMail(sub, "P40D").field("expires_at"));
    ((TestClock) clock).set(expires.minus(Duration.ofDays(30)));
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<Integer>> runs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      runs.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return sweep.run();
              }));
    }
    start.countDown();
    for (CompletableFuture<Integer> run : runs) {
      run.get();
    }
    deliveries.runOnce();
    assertThat(
            admin()
                .get("/api/v1/mails?recipient=ops@example.com&subscription_id=" + sub)
                .json()
                .size())
        .isEqualTo(1);
  }
}
