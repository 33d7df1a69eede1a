package dev.keyturn.server.billing.internal;

import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.billing.StripeProperties;
import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.license.IssueRequest;
import dev.keyturn.server.license.LicenseIssuer;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.license.Licenses;
import dev.keyturn.server.notify.Notifier;
import dev.keyturn.server.payment.PaymentService;
import dev.keyturn.server.security.Actor;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.subscription.Subscription;
import dev.keyturn.server.subscription.SubscriptionBilling;
import dev.keyturn.server.subscription.SubscriptionBilling.State;
import dev.keyturn.server.subscription.SubscriptionFields;
import dev.keyturn.server.subscription.Subscriptions;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * Applies verified Stripe events (docs/design.md §6). Each event is stored by id in the transaction
 * that applies it, so a redelivery changes nothing; each kind of change remembers the creation time
 * of the newest event it applied, and paid-through only moves forward, so late events change
 * nothing.
 */
@Service
class StripeBilling {
  static final Actor STRIPE = new Actor("stripe", Role.SALES);
  private static final Logger log = LoggerFactory.getLogger(StripeBilling.class);

  private final JdbcClient jdbc;
  private final Clock clock;
  private final Subscriptions subscriptions;
  private final SubscriptionBilling billing;
  private final Licenses licenses;
  private final PaymentService payments;
  private final LicenseIssuer issuer;
  private final Notifier notifier;
  private final EventLog events;
  private final StripeProperties properties;

  StripeBilling(
      JdbcClient jdbc,
      Clock clock,
      Subscriptions subscriptions,
      SubscriptionBilling billing,
      Licenses licenses,
      PaymentService payments,
      LicenseIssuer issuer,
      Notifier notifier,
      EventLog events,
      StripeProperties properties) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.subscriptions = subscriptions;
    this.billing = billing;
    this.licenses = licenses;
    this.payments = payments;
    this.issuer = issuer;
    this.notifier = notifier;
    this.events = events;
    this.properties = properties;
  }

  /** A verified event: its id, type, creation time and the raw JSON. */
  record Received(String id, String type, Instant created, JsonNode json, String payload) {}

  boolean seen(String eventId) {
    // An unmatched event is not done with: resent after its ids were set, it applies.
    return jdbc.sql("select count(*) from stripe_events where id = ? and outcome <> 'UNMATCHED'")
            .param(eventId)
            .query(Long.class)
            .single()
        > 0;
  }

  @Transactional
  public BillingOutcome apply(Received e) {
    Instant now = clock.instant();
    JsonNode object = e.json().path("data").path("object");
    String stripeCustomer;
    String stripeSubscription;
    if (e.type().startsWith("invoice.")) {
      stripeCustomer = StripeObjects.id(object.get("customer"));
      stripeSubscription = StripeObjects.invoiceSubscription(object);
    } else if (e.type().startsWith("customer.subscription.")) {
      stripeCustomer = StripeObjects.id(object.get("customer"));
      stripeSubscription = StripeObjects.id(object.get("id"));
    } else {
      log.info("Stripe event {} of type {} is not used by billing", e.id(), e.type());
      return store(e, now, null, null, null, BillingOutcome.UNHANDLED, "type not used");
    }
    jdbc.sql("delete from stripe_events where id = ? and outcome = 'UNMATCHED'")
        .param(e.id())
        .update();
    // The insert first: a concurrent redelivery waits on the key, then fails as a duplicate.
    insert(e, now, stripeCustomer, stripeSubscription);
    Optional<String> match = billing.matchStripe(stripeSubscription, stripeCustomer);
    if (match.isEmpty()) {
      log.warn(
          "Stripe event {} ({}) names no known subscription (customer {}, subscription {})",
          e.id(),
          e.type(),
          stripeCustomer,
          stripeSubscription);
      return finish(e, null, BillingOutcome.UNMATCHED, "no subscription with these Stripe ids");
    }
    String id = match.get();
    Subscription s = subscriptions.lock(id).orElseThrow();
    if (s.archived()) {
      return finish(e, id, BillingOutcome.STALE, "subscription archived");
    }
    State state = billing.state(id);
    Result r =
        switch (e.type()) {
          case "invoice.paid" -> invoicePaid(e, s, state, object, now);
          case "invoice.payment_failed" -> paymentFailed(e, s, state, object, now);
          case "customer.subscription.updated" -> subscriptionUpdated(e, s, state, object, now);
          case "customer.subscription.deleted" -> subscriptionDeleted(e, s, object, now);
          default -> new Result(BillingOutcome.UNHANDLED, "type not used");
        };
    if (r.outcome() == BillingOutcome.UNHANDLED) {
      log.info("Stripe event {} of type {} is not used by billing", e.id(), e.type());
    }
    return finish(e, id, r.outcome(), r.note());
  }

  private record Result(BillingOutcome outcome, String note) {}

  private Result invoicePaid(
      Received e, Subscription s, State state, JsonNode invoice, Instant now) {
    Instant periodEnd = StripeObjects.invoicePeriodEnd(invoice);
    if (periodEnd == null) {
      return new Result(BillingOutcome.STALE, "invoice without a period");
    }
    periodEnd = periodEnd.truncatedTo(ChronoUnit.SECONDS);
    Instant paid = s.fields().paidThrough();
    if (paid != null && !periodEnd.isAfter(paid)) {
      return new Result(BillingOutcome.STALE, "already paid through " + paid);
    }
    if (!periodEnd.isAfter(now)) {
      return new Result(BillingOutcome.STALE, "the invoice's period ended at " + periodEnd);
    }
    Subscription current = s;
    if (state.pendingPriceId() != null) {
      // A downgrade waits for the next period: this invoice starts it.
      Optional<StripeProperties.Price> price = price(state.pendingPriceId());
      if (price.isPresent()) {
        SubscriptionFields f =
            withPrice(
                s.fields(),
                price.get(),
                seats(price.get(), state.pendingQuantity(), s.fields().seats()));
        subscriptions.update(s.id(), f, now);
        events.record(
            "subscription.plan_changed",
            STRIPE.name(),
            s.id(),
            null,
            Map.of("price_id", state.pendingPriceId(), "tier", f.tier(), "when", "next_period"));
      }
      billing.startPendingPrice(s.id());
      current = subscriptions.find(s.id()).orElseThrow();
    }
    String invoiceId = StripeObjects.text(invoice.get("id"));
    payments.record(
        current.id(),
        new PaymentService.PaymentRequest(
            StripeObjects.amount(invoice), "stripe " + invoiceId, periodEnd),
        STRIPE);
    billing.paid(s.id(), e.created());
    if (state.paymentFailingSince() != null) {
      events.record(
          "payment.recovered",
          STRIPE.name(),
          s.id(),
          null,
          Map.of("invoice", String.valueOf(invoiceId)));
    }
    return new Result(BillingOutcome.APPLIED, "paid through " + periodEnd);
  }

  private Result paymentFailed(
      Received e, Subscription s, State state, JsonNode invoice, Instant now) {
    Instant periodEnd = StripeObjects.invoicePeriodEnd(invoice);
    Instant paid = s.fields().paidThrough();
    if (periodEnd != null && paid != null && !periodEnd.isAfter(paid)) {
      return new Result(BillingOutcome.STALE, "that period is paid (through " + paid + ")");
    }
    if (state.paidEventAt() != null && !e.created().isAfter(state.paidEventAt())) {
      return new Result(BillingOutcome.STALE, "older than the last paid invoice");
    }
    if (state.failedEventAt() != null && !e.created().isAfter(state.failedEventAt())) {
      return new Result(BillingOutcome.STALE, "older than the last failed payment");
    }
    billing.paymentFailing(s.id(), now, e.created());
    String invoiceId = StripeObjects.text(invoice.get("id"));
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("invoice", invoiceId);
    meta.put("attempt_count", invoice.path("attempt_count").asInt(0));
    meta.put("period_end", periodEnd == null ? null : periodEnd.toString());
    events.record("payment.failed", STRIPE.name(), s.id(), null, meta);
    notifier.paymentFailed(s);
    return new Result(BillingOutcome.APPLIED, "payment failing");
  }

  private Result subscriptionUpdated(
      Received e, Subscription s, State state, JsonNode sub, Instant now) {
    if (state.subscriptionEventAt() != null && !e.created().isAfter(state.subscriptionEventAt())) {
      return new Result(BillingOutcome.STALE, "older than the last subscription update");
    }
    billing.subscriptionEventSeen(s.id(), e.created());
    List<String> changes = new java.util.ArrayList<>();
    String status = StripeObjects.text(sub.get("status"));
    boolean cancelling = sub.path("cancel_at_period_end").asBoolean(false);
    boolean autoRenew =
        !cancelling && !"canceled".equals(status) && !"incomplete_expired".equals(status);
    SubscriptionFields f = s.fields();
    if (!Boolean.valueOf(autoRenew).equals(f.autoRenew())) {
      f = f.withAutoRenew(autoRenew);
      subscriptions.update(s.id(), f, now);
      events.record(
          autoRenew ? "subscription.auto_renew_on" : "subscription.auto_renew_off",
          STRIPE.name(),
          s.id(),
          null,
          Map.of("cancel_at_period_end", cancelling, "status", String.valueOf(status)));
      changes.add("auto_renew=" + autoRenew);
    }
    JsonNode item = sub.path("items").path("data").path(0);
    String priceId = StripeObjects.id(item.get("price"));
    if (priceId == null) {
      priceId = StripeObjects.id(item.get("plan"));
    }
    long quantity = item.path("quantity").asLong(1);
    if (priceId != null && state.priceId() == null) {
      // The first price Stripe names: staff set the grants when they made the subscription.
      billing.firstPrice(s.id(), priceId);
      changes.add("on price " + priceId);
    } else if (priceId != null && !priceId.equals(state.priceId())) {
      Optional<StripeProperties.Price> next = price(priceId);
      if (next.isEmpty()) {
        log.warn(
            "Stripe price {} (subscription {}) is not in keyturn.stripe.prices", priceId, s.id());
        changes.add("unknown price " + priceId);
      } else {
        long seats = seats(next.get(), quantity, f.seats());
        if (isUpgrade(state.priceId(), next.get(), seats, f.seats())) {
          f = withPrice(f, next.get(), seats);
          subscriptions.update(s.id(), f, now);
          billing.priceChangedNow(s.id(), priceId);
          events.record(
              "subscription.plan_changed",
              STRIPE.name(),
              s.id(),
              null,
              Map.of("price_id", priceId, "tier", f.tier(), "when", "now"));
          reissue(s.id(), now);
          changes.add("upgraded to " + priceId);
        } else {
          billing.priceChangeScheduled(s.id(), priceId, quantity);
          events.record(
              "subscription.plan_change_scheduled",
              STRIPE.name(),
              s.id(),
              null,
              Map.of("price_id", priceId, "when", "next_period"));
          changes.add("downgrade to " + priceId + " at the next period");
        }
      }
    }
    return new Result(
        changes.isEmpty() ? BillingOutcome.STALE : BillingOutcome.APPLIED,
        changes.isEmpty() ? "no change" : String.join(", ", changes));
  }

  private Result subscriptionDeleted(Received e, Subscription s, JsonNode sub, Instant now) {
    if (Boolean.FALSE.equals(s.fields().autoRenew())) {
      return new Result(BillingOutcome.STALE, "auto-renew already off");
    }
    subscriptions.update(s.id(), s.fields().withAutoRenew(false), now);
    events.record(
        "subscription.cancelled",
        STRIPE.name(),
        s.id(),
        null,
        Map.of("stripe_subscription", String.valueOf(StripeObjects.id(sub.get("id")))));
    return new Result(BillingOutcome.APPLIED, "auto-renew off; runs to its expiry");
  }

  /** An upgrade: a license with the new grants, through the same date, at once. */
  private void reissue(String subscriptionId, Instant now) {
    Instant newest = licenses.newestExpiry(subscriptionId).orElse(null);
    if (newest == null || !newest.isAfter(now)) {
      return;
    }
    Instant start = now.truncatedTo(ChronoUnit.SECONDS);
    LicenseRecord issued =
        issuer.issue(
            subscriptionId,
            new IssueRequest(start, newest, null, null, List.of("upgrade")),
            STRIPE);
    notifier.license(subscriptions.find(subscriptionId).orElseThrow(), issued, true);
  }

  private boolean isUpgrade(
      String currentPriceId, StripeProperties.Price next, long nextSeats, Long currentSeats) {
    int currentRank = price(currentPriceId).map(StripeProperties.Price::rank).orElse(0);
    if (next.rank() != currentRank) {
      return next.rank() > currentRank;
    }
    long cur = currentSeats == null ? 0 : currentSeats;
    // 0 is unlimited: the most there is.
    if (nextSeats == 0 || cur == 0) {
      return nextSeats == 0 && cur != 0;
    }
    return nextSeats > cur;
  }

  private static long seats(StripeProperties.Price p, long quantity, Long current) {
    if (p.seats() == null) {
      return current == null ? 0 : current;
    }
    return p.seats() == 0 ? 0 : p.seats() * Math.max(1, quantity);
  }

  private Optional<StripeProperties.Price> price(String priceId) {
    return priceId == null
        ? Optional.empty()
        : Optional.ofNullable(properties.prices().get(priceId));
  }

  private static SubscriptionFields withPrice(
      SubscriptionFields f, StripeProperties.Price p, Long seats) {
    return f.withGrant(
        p.tier() == null ? f.tier() : p.tier(),
        seats,
        p.limits() == null ? f.limits() : p.limits(),
        p.features() == null ? f.features() : p.features());
  }

  private void insert(Received e, Instant now, String customer, String subscription) {
    jdbc.sql(
            "insert into stripe_events (id, type, created, received_at, stripe_customer_id,"
                + " stripe_subscription_id, outcome, payload) values (?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            e.id(),
            e.type(),
            Db.ts(e.created()),
            Db.ts(now),
            customer,
            subscription,
            "RECEIVED",
            e.payload())
        .update();
  }

  private BillingOutcome store(
      Received e,
      Instant now,
      String customer,
      String subscription,
      String subscriptionId,
      BillingOutcome outcome,
      String note) {
    insert(e, now, customer, subscription);
    return finish(e, subscriptionId, outcome, note);
  }

  private BillingOutcome finish(
      Received e, String subscriptionId, BillingOutcome outcome, String note) {
    jdbc.sql("update stripe_events set subscription_id = ?, outcome = ?, note = ? where id = ?")
        .params(subscriptionId, outcome.name(), note, e.id())
        .update();
    return outcome;
  }
}
