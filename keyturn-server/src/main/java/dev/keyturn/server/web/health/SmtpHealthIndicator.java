package dev.keyturn.server.web.health;

import jakarta.mail.MessagingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Whether the SMTP server answers, for people (health details, the console's admin page), never for
 * load balancers: mails wait in the outbox during an SMTP outage and go out later, while check-ins
 * must keep working. So an unreachable SMTP server is {@link #DEGRADED}, which ranks below UP
 * ({@code management.endpoint.health.status.order}) and is in neither the liveness nor the
 * readiness group. The check runs in the background at most every {@link #RECHECK}; a health
 * request only reads its last result, so a hanging SMTP server never slows the health endpoint.
 */
public final class SmtpHealthIndicator implements HealthIndicator {
  public static final Status DEGRADED = new Status("DEGRADED", "SMTP is not reachable");
  static final Duration RECHECK = Duration.ofSeconds(30);

  private final ObjectProvider<JavaMailSender> sender;
  private final Clock clock;
  private final ExecutorService checks =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "keyturn-smtp-probe");
            t.setDaemon(true);
            return t;
          });
  private final AtomicReference<Future<?>> inFlight = new AtomicReference<>();
  private volatile Health last;
  private volatile Instant checkedAt = Instant.MIN;

  public SmtpHealthIndicator(ObjectProvider<JavaMailSender> sender, Clock clock) {
    this.sender = sender;
    this.clock = clock;
    this.last = Health.unknown().withDetail("checking", true).build();
  }

  @Override
  public Health health() {
    if (!(sender.getIfAvailable() instanceof JavaMailSenderImpl)) {
      return Health.up()
          .withDetail("configured", false)
          .withDetail("note", "no spring.mail.host: mails are kept in the server's mail log only")
          .build();
    }
    if (!checkedAt.isAfter(clock.instant().minus(RECHECK))) {
      inFlight.updateAndGet(f -> f == null || f.isDone() ? checks.submit(this::check) : f);
    }
    return last;
  }

  private void check() {
    JavaMailSenderImpl smtp = (JavaMailSenderImpl) sender.getObject();
    Health.Builder health;
    try {
      smtp.testConnection();
      health = Health.up();
    } catch (MessagingException | RuntimeException e) {
      health = Health.status(DEGRADED).withDetail("error", String.valueOf(e.getMessage()));
    }
    last =
        health
            .withDetail("host", smtp.getHost() + ":" + smtp.getPort())
            .withDetail("checked_at", clock.instant().toString())
            .build();
    checkedAt = clock.instant();
  }
}
