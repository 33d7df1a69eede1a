package dev.keyturn.server.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the lifecycle automation ({@code keyturn.sweep.*}, {@code keyturn.delivery.*}, {@code
 * keyturn.notifications.*}, {@code keyturn.scheduler.*}).
 *
 * @param sweep how often the sweep runs and how many subscriptions one transaction takes
 * @param delivery the outbox worker: how often it polls, its backoff and its attempt cap
 * @param notifications who hears about what: the sender, the vendor's teams, the update-payment
 *     link
 * @param scheduler whether this server runs the scheduled tasks at all (tests drive them by hand)
 */
@ConfigurationProperties("keyturn")
public record AutomationProperties(
    Sweep sweep, Delivery delivery, Notifications notifications, Scheduler scheduler) {

  public AutomationProperties {
    sweep = sweep == null ? new Sweep(null, 0) : sweep;
    delivery = delivery == null ? new Delivery(null, null, null, 0) : delivery;
    notifications =
        notifications == null ? new Notifications(null, null, null, null) : notifications;
    scheduler = scheduler == null ? new Scheduler(true) : scheduler;
  }

  public record Sweep(Duration interval, int batchSize) {
    public Sweep {
      interval = interval == null ? Duration.ofMinutes(15) : interval;
      batchSize = batchSize <= 0 ? 500 : batchSize;
    }
  }

  /**
   * @param firstBackoff the wait after the first failed attempt; doubled after each further one
   * @param maxBackoff the longest wait between two attempts
   * @param maxAttempts after this many failed attempts a delivery is DEAD until an admin retries it
   */
  public record Delivery(
      Duration interval, Duration firstBackoff, Duration maxBackoff, int maxAttempts) {
    public Delivery {
      interval = interval == null ? Duration.ofSeconds(10) : interval;
      firstBackoff = firstBackoff == null ? Duration.ofSeconds(30) : firstBackoff;
      maxBackoff = maxBackoff == null ? Duration.ofHours(6) : maxBackoff;
      maxAttempts = maxAttempts <= 0 ? 10 : maxAttempts;
    }
  }

  /**
   * @param from the sender of every mail
   * @param accountTeam told at the stages whose policy names the account team (the presets: D-15,
   *     docs/design.md §4); no mail when empty
   * @param support told at the stages whose policy names support (the presets: D-7); no mail when
   *     empty
   * @param paymentUrl the update-payment link in payment-failed mails
   */
  public record Notifications(String from, String accountTeam, String support, String paymentUrl) {
    public Notifications {
      from = from == null || from.isBlank() ? "keyturn@localhost" : from;
      accountTeam = accountTeam == null || accountTeam.isBlank() ? null : accountTeam;
      support = support == null || support.isBlank() ? null : support;
      paymentUrl = paymentUrl == null || paymentUrl.isBlank() ? null : paymentUrl;
    }
  }

  public record Scheduler(boolean enabled) {}
}
