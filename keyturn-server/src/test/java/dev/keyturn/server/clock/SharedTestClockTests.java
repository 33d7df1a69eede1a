package dev.keyturn.server.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keyturn.server.KeyturnServer;
import dev.keyturn.server.support.Api;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Replicas: whole servers started side by side on one database of their own. The test clock they
 * show is the one stored there: the same on each, kept over a restart, and only ever moved forward,
 * however the replicas race.
 */
abstract class SharedTestClockTests {
  private static final String ADMIN_PASSWORD = "replica-test-password";

  @TempDir Path dir;

  /** A database for this test alone, as the command-line arguments that point a server at it. */
  protected abstract List<String> database();

  private ConfigurableApplicationContext replica() {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--keyturn.data-dir=" + dir,
                "--keyturn.test-clock.enabled=true",
                "--keyturn.admin-password=" + ADMIN_PASSWORD,
                "--keyturn.master-key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
                "--keyturn.scheduler.enabled=false",
                "--logging.level.root=WARN"));
    args.addAll(database());
    // Command-line arguments: they win over application.properties (builder properties would not).
    return new SpringApplicationBuilder(KeyturnServer.class).run(args.toArray(String[]::new));
  }

  private static TestClock clockOf(ConfigurableApplicationContext replica) {
    return (TestClock) replica.getBean(Clock.class);
  }

  private static Api adminOf(ConfigurableApplicationContext replica) {
    int port = Integer.parseInt(replica.getEnvironment().getProperty("local.server.port"));
    return new Api(port, Api.basic("admin", ADMIN_PASSWORD));
  }

  private static Duration stored(ConfigurableApplicationContext replica) {
    return Duration.of(
        replica
            .getBean(JdbcClient.class)
            .sql("select offset_micros from test_clock")
            .query(Long.class)
            .single(),
        ChronoUnit.MICROS);
  }

  @Test
  void two_replicas_show_one_clock_and_a_restart_keeps_it() {
    Duration moved;
    try (ConfigurableApplicationContext a = replica();
        ConfigurableApplicationContext b = replica()) {
      Api.Response advanced = adminOf(a).post("/api/v1/test-clock", Map.of("advance", "P30D"));
      assertThat(advanced.status()).as(advanced.toString()).isEqualTo(200);
      moved = clockOf(a).offset();
      assertThat(moved).isEqualTo(Duration.ofDays(30));

      // The other replica reads the stored offset at most a second late (plus a loaded machine).
      await()
          .atMost(TestClock.MAX_STALENESS.plusSeconds(4))
          .until(() -> clockOf(b).offset().equals(moved));
      Api.Response shown = adminOf(b).get("/api/v1/test-clock");
      assertThat(Duration.parse(shown.field("offset"))).isEqualTo(moved);
      assertThat(Instant.parse(shown.field("now")))
          .isAfterOrEqualTo(Instant.parse(advanced.field("now")));

      Instant target =
          clockOf(b).instant().plus(Duration.ofDays(10)).truncatedTo(ChronoUnit.MINUTES);
      Api.Response set = adminOf(b).post("/api/v1/test-clock", Map.of("set", target.toString()));
      assertThat(set.status()).as(set.toString()).isEqualTo(200);
      Api.Response back =
          adminOf(a).post("/api/v1/test-clock", Map.of("set", target.minusSeconds(60).toString()));
      assertThat(back.code())
          .as("the other replica has not read the move yet, the database still refuses")
          .isEqualTo("test_clock.backwards");
    }
    try (ConfigurableApplicationContext restarted = replica()) {
      assertThat(clockOf(restarted).offset()).isGreaterThan(moved.plusDays(9));
      assertThat(stored(restarted)).isEqualTo(clockOf(restarted).offset());
    }
  }

  @Test
  void racing_moves_from_two_replicas_add_up_and_never_move_the_clock_back() throws Exception {
    try (ConfigurableApplicationContext a = replica();
        ConfigurableApplicationContext b = replica()) {
      List<TestClock> clocks = List.of(clockOf(a), clockOf(a), clockOf(b), clockOf(b));
      AtomicBoolean racing = new AtomicBoolean(true);
      ExecutorService threads = Executors.newFixedThreadPool(clocks.size() + 1);
      try {
        // Whatever the replicas do, the stored offset read in a loop never shrinks.
        Future<Integer> watcher =
            threads.submit(
                () -> {
                  Duration last = Duration.ZERO;
                  int reads = 0;
                  while (racing.get()) {
                    Duration now = stored(b);
                    assertThat(now).as("after " + reads + " reads").isGreaterThanOrEqualTo(last);
                    last = now;
                    reads++;
                  }
                  return reads;
                });

        // Advances add to whatever is stored: none is lost to another's.
        Duration before = stored(a);
        CyclicBarrier start = new CyclicBarrier(clocks.size());
        List<Future<?>> advancing = new ArrayList<>();
        for (TestClock clock : clocks) {
          advancing.add(
              threads.submit(
                  () -> {
                    start.await();
                    for (int i = 0; i < 25; i++) {
                      clock.advance(Duration.ofHours(1));
                    }
                    return null;
                  }));
        }
        for (Future<?> f : advancing) {
          f.get();
        }
        assertThat(stored(a)).isEqualTo(before.plusHours(100));

        // Two replicas set the clock at once, one to a day later than the other: the later time
        // wins every round, whichever replica's statement runs first.
        Instant origin = clockOf(a).instant();
        CyclicBarrier round = new CyclicBarrier(2);
        for (int i = 1; i <= 20; i++) {
          Instant later = origin.plus(Duration.ofDays(2L * i));
          Future<?> fromA = threads.submit(() -> setQuietly(clockOf(a), later, round));
          Future<?> fromB =
              threads.submit(() -> setQuietly(clockOf(b), later.minus(Duration.ofDays(1)), round));
          fromA.get();
          fromB.get();
          // The servers' clocks are the system clock plus the stored offset.
          assertThat(Clock.systemUTC().instant().plus(stored(b)))
              .as("round " + i)
              .isAfterOrEqualTo(later);
        }
        racing.set(false);
        assertThat(watcher.get()).isPositive();
      } finally {
        racing.set(false);
        threads.shutdownNow();
      }
    }
  }

  /** Sets the clock; a refusal (the other replica was later and first) is a legitimate outcome. */
  private static Void setQuietly(TestClock clock, Instant target, CyclicBarrier round)
      throws Exception {
    round.await();
    try {
      clock.set(target);
    } catch (IllegalArgumentException refused) {
      assertThat(refused).hasMessageContaining("cannot set the clock back");
    }
    return null;
  }
}
