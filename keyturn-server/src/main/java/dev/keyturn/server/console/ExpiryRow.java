package dev.keyturn.server.console;

import dev.keyturn.core.lifecycle.Lifecycle;
import dev.keyturn.core.lifecycle.Phase;
import dev.keyturn.core.lifecycle.Standing;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.license.Licenses;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * One row of the dashboard's expiry table. Phase and days left come from the lifecycle engine, so
 * they read exactly as the customer's product and the reminders say.
 *
 * @param soon expires within the next 7 days (highlighted)
 * @param payment what the subscription's payments say, in words
 * @param paymentBadge the badge class for that state
 */
public record ExpiryRow(
    String subscriptionId,
    String customer,
    String instanceType,
    String licenseId,
    Instant expiresAt,
    String expires,
    long daysLeft,
    long daysUntilLock,
    Phase phase,
    boolean autoRenew,
    String payment,
    String paymentBadge,
    List<String> tags,
    boolean soon) {
  static final Duration SOON = Duration.ofDays(7);

  static ExpiryRow of(Licenses.Current c, Instant now) {
    LicenseRecord l = c.license();
    Standing standing =
        Lifecycle.evaluate(l.notBefore(), l.expiresAt(), now, l.policy(), ZoneOffset.UTC);
    boolean soon = l.expiresAt().isAfter(now) && !l.expiresAt().isAfter(now.plus(SOON));
    String payment;
    String badge;
    if (c.paymentFailingSince() != null) {
      payment = "failing since " + Dates.day(c.paymentFailingSince());
      badge = "badge-danger";
    } else if (c.paidThrough() == null) {
      payment = "none recorded";
      badge = "badge-muted";
    } else if (c.paidThrough().isAfter(now)) {
      payment = "paid through " + Dates.day(c.paidThrough());
      badge = "badge-ok";
    } else {
      payment = "unpaid since " + Dates.day(c.paidThrough());
      badge = "badge-warn";
    }
    return new ExpiryRow(
        l.subscriptionId(),
        c.displayName(),
        c.instanceType().name(),
        l.id(),
        l.expiresAt(),
        Dates.minute(l.expiresAt()),
        standing.daysUntilExpiry(),
        standing.daysUntilLock(),
        standing.phase(),
        c.autoRenew(),
        payment,
        badge,
        l.tags(),
        soon);
  }
}
