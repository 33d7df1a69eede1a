package dev.keyturn.server.payment.internal;

import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.license.IssueRequest;
import dev.keyturn.server.license.LicenseIssuer;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.license.Licenses;
import dev.keyturn.server.notify.Notifier;
import dev.keyturn.server.security.Actor;
import dev.keyturn.server.subscription.PaidThroughChanged;
import dev.keyturn.server.subscription.Subscription;
import dev.keyturn.server.subscription.Subscriptions;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * docs/design.md §6: whenever paid-through (or the contract end) moves beyond the newest license's
 * expiry, a license covering through it is issued in the same transaction and mailed; check-in
 * hands it out too. A license gap is so impossible by construction. Billing (issue 7) calls {@link
 * #ensureCovered} from its payment webhooks.
 */
@Service
public class AutoIssuance {
  private final Subscriptions subscriptions;
  private final Licenses licenses;
  private final LicenseIssuer issuer;
  private final Notifier notifier;
  private final EventLog events;
  private final Clock clock;

  AutoIssuance(
      Subscriptions subscriptions,
      Licenses licenses,
      LicenseIssuer issuer,
      Notifier notifier,
      EventLog events,
      Clock clock) {
    this.subscriptions = subscriptions;
    this.licenses = licenses;
    this.issuer = issuer;
    this.notifier = notifier;
    this.events = events;
    this.clock = clock;
  }

  @EventListener
  void onPaidThroughChanged(PaidThroughChanged change) {
    ensureCovered(change.subscriptionId(), change.actor());
  }

  /**
   * Issues (and mails) a license through the subscription's paid-through when the newest one
   * expires earlier; returns it, or empty when the subscription is covered already.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public Optional<LicenseRecord> ensureCovered(String subscriptionId, Actor actor) {
    Subscription s = subscriptions.lock(subscriptionId).orElseThrow();
    Instant covered = coveredThrough(s);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    if (s.archived() || covered == null || !covered.isAfter(now)) {
      return Optional.empty();
    }
    Instant newest = licenses.newestExpiry(subscriptionId).orElse(null);
    if (newest != null && !covered.isAfter(newest)) {
      return Optional.empty();
    }
    // not_before = now: clients refuse licenses that are not valid yet.
    LicenseRecord issued =
        issuer.issue(
            subscriptionId, new IssueRequest(now, covered, null, null, List.of("auto")), actor);
    boolean renewed = newest != null;
    if (renewed) {
      events.record(
          "license.renewed",
          actor.name(),
          subscriptionId,
          issued.id(),
          Map.of(
              "expires_at",
              issued.expiresAt().toString(),
              "previous_expires_at",
              newest.toString()));
    }
    notifier.license(s, issued, renewed);
    return Optional.of(issued);
  }

  static Instant coveredThrough(Subscription s) {
    Instant paid = s.fields().paidThrough();
    Instant contract = s.fields().contractEnd();
    if (paid == null) {
      return contract;
    }
    return contract != null && contract.isAfter(paid) ? contract : paid;
  }
}
