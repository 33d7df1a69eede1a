package dev.keyturn.server.web.health;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness: the database answers a query within {@link #DEADLINE}. The query runs on a probe
 * thread and the answer is awaited with that deadline, so a database that accepts connections and
 * never answers (or a pool waiting for one) makes the replica not ready within seconds instead of
 * holding the load balancer's probe. One probe at a time: while a stuck probe is still waiting,
 * later checks wait on it rather than piling up threads.
 */
public final class DatabaseHealthIndicator implements HealthIndicator {
  public static final Duration DEADLINE = Duration.ofSeconds(2);

  private final DataSource dataSource;
  private final ExecutorService probes =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "keyturn-db-probe");
            t.setDaemon(true);
            return t;
          });
  private final AtomicReference<Future<?>> inFlight = new AtomicReference<>();

  public DatabaseHealthIndicator(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public Health health() {
    Future<?> probe =
        inFlight.updateAndGet(f -> f == null || f.isDone() ? probes.submit(this::query) : f);
    try {
      probe.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      return Health.up().withDetail("answered_within", DEADLINE.toString()).build();
    } catch (TimeoutException e) {
      return Health.down()
          .withDetail("error", "no answer within " + DEADLINE.toSeconds() + " s")
          .build();
    } catch (ExecutionException e) {
      return Health.down().withDetail("error", String.valueOf(e.getCause())).build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Health.down().withDetail("error", "interrupted").build();
    }
  }

  private Void query() throws Exception {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.setQueryTimeout((int) DEADLINE.toSeconds());
      s.execute("select 1");
      return null;
    }
  }
}
