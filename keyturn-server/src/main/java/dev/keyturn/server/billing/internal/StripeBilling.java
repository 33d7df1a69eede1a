package dev.keyturn.server.billing.internal;

import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.billing.PortalLinks;
import dev.keyturn.server.billing.StripeProperties;
import dev.keyturn.server.delivery.MailMessage;
import dev.keyturn.server.delivery.Outbox;
import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.license.IssueRequest;
import dev.keyturn.server.license.LicenseIssuer;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.notify.MailRenderer;
import dev.keyturn.server.notify.Notifier;
import dev.keyturn.server.payment.PaymentService;
import dev.keyturn.server.security.Actor;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.subscription.Subscription;
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
 * Applies verified Stripe events (DESIGN §6). Each event is stored by id in the transaction that
 * applies it, so a redelivery changes nothing; each kind of change remembers the creation time of
 * the newest event it applied, and paid-through only moves forward, so late events change nothing.
 */
@Service
class StripeBilling {
  static final Actor STRIPE = new Actor("stripe", Role.SALES);
  private static final Logger log = LoggerFactory.getLogger(StripeBilling.class);

  private final JdbcClient jdbc;
  private final Clock clock;
  private final Subscriptions subscriptions;
  private final PaymentService payments;
  private final LicenseIssuer issuer;
  private final Notifier notifier;
  private final EventLog events;
  private final Outbox outbox;
  private final MailRenderer renderer;
  private final StripeProperties properties;
  private final PortalLinks links;

  StripeBilling(
      JdbcClient jdbc,
      Clock clock,
      Subscriptions subscriptions,
      PaymentService payments,
      LicenseIssuer issuer,
      Notifier notifier,
      EventLog events,
      Outbox outbox,
      MailRenderer renderer,
      StripeProperties properties,
      PortalLinks links) {
    this.links = links;
    this.jdbc = jdbc;
    this.clock = clock;
    this.subscriptions = subscriptions;
    this.payments = payments;
    this.issuer = issuer;
    this.notifier = notifier;
    this.events = events;
    this.outbox = outbox;
    this.renderer = renderer;
    this.properties = properties;
  }

  /** A verified event: its id, type, creation time and the raw JSON. */
  record Received(String id, String type, Instant created, JsonNode json, String payload) {}

  /** Billing state kept next to the subscription row. */
  private record State(
      Instant paymentFailingSince,
      Instant paidEventAt,
      Instant failedEventAt,
      Instant subscriptionEventAt,
      String priceId,
      String pendingPriceId,
      long pendingQuantity) {}

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
    Optional<String> match = match(stripeSubscription, stripeCustomer);
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
    State state = state(id);
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
      jdbc.sql(
              "update subscriptions set stripe_price_id = pending_stripe_price_id,"
                  + " pending_stripe_price_id = null, pending_stripe_quantity = null where id = ?")
          .param(s.id())
          .update();
      current = subscriptions.find(s.id()).orElseThrow();
    }
    String invoiceId = StripeObjects.text(invoice.get("id"));
    payments.record(
        current.id(),
        new PaymentService.PaymentRequest(
            StripeObjects.amount(invoice), "stripe " + invoiceId, periodEnd),
        STRIPE);
    jdbc.sql(
            "update subscriptions set payment_failing_since = null, stripe_paid_event_at = ?"
                + " where id = ?")
        .params(Db.ts(e.created()), s.id())
        .update();
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
    jdbc.sql(
            "update subscriptions set payment_failing_since = coalesce(payment_failing_since, ?),"
                + " stripe_failed_event_at = ? where id = ?")
        .params(Db.ts(now), Db.ts(e.created()), s.id())
        .update();
    String invoiceId = StripeObjects.text(invoice.get("id"));
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("invoice", invoiceId);
    meta.put("attempt_count", invoice.path("attempt_count").asInt(0));
    meta.put("period_end", periodEnd == null ? null : periodEnd.toString());
    events.record("payment.failed", STRIPE.name(), s.id(), null, meta);
    mailPaymentFailed(s);
    return new Result(BillingOutcome.APPLIED, "payment failing");
  }

  /**
   * The payment-failed mail with the signed Billing Portal link, which opens a session when clicked
   * (the configured update-payment URL when Stripe's API is not set up): no call to Stripe inside
   * this transaction. No lock here: the policy's dates decide that, not payment.
   */
  private void mailPaymentFailed(Subscription s) {
    Optional<String> link = links.link(s);
    if (link.isEmpty()) {
      notifier.paymentFailed(s);
      return;
    }
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("customer", s.fields().displayName());
    vars.put("subscriptionId", s.id());
    vars.put("paymentUrl", link.get());
    MailRenderer.Rendered r = renderer.render("payment-failed", vars);
    List<String> to =
        s.fields().contacts().billingEmails().isEmpty()
            ? s.fields().contacts().adminEmails()
            : s.fields().contacts().billingEmails();
    for (String recipient : to) {
      outbox.mail(
          new MailMessage(
              recipient, "Your payment failed", r.text(), r.html(), List.of(), Map.of()),
          "payment.failed",
          s.id());
    }
  }

  private Result subscriptionUpdated(
      Received e, Subscription s, State state, JsonNode sub, Instant now) {
    if (state.subscriptionEventAt() != null && !e.created().isAfter(state.subscriptionEventAt())) {
      return new Result(BillingOutcome.STALE, "older than the last subscription update");
    }
    jdbc.sql("update subscriptions set stripe_subscription_event_at = ? where id = ?")
        .params(Db.ts(e.created()), s.id())
        .update();
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
      jdbc.sql("update subscriptions set stripe_price_id = ? where id = ?")
          .params(priceId, s.id())
          .update();
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
          jdbc.sql(
                  "update subscriptions set stripe_price_id = ?, pending_stripe_price_id = null,"
                      + " pending_stripe_quantity = null where id = ?")
              .params(priceId, s.id())
              .update();
          events.record(
              "subscription.plan_changed",
              STRIPE.name(),
              s.id(),
              null,
              Map.of("price_id", priceId, "tier", f.tier(), "when", "now"));
          reissue(s.id(), now);
          changes.add("upgraded to " + priceId);
        } else {
          jdbc.sql(
                  "update subscriptions set pending_stripe_price_id = ?, pending_stripe_quantity ="
                      + " ? where id = ?")
              .params(priceId, quantity, s.id())
              .update();
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
    Instant newest =
        jdbc.sql(
                "select max(expires_at) as newest from licenses where subscription_id = ? and"
                    + " revoked_at is null")
            .param(subscriptionId)
            .query((rs, n) -> Db.instant(rs, "newest"))
            .list()
            .get(0); // max() of no rows is one null row, which single() refuses
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

  private Optional<String> match(String stripeSubscription, String stripeCustomer) {
    if (stripeSubscription != null) {
      Optional<String> bySubscription =
          jdbc.sql(
                  "select id from subscriptions where stripe_subscription_id = ? order by"
                      + " archived_at nulls first, id limit 1")
              .param(stripeSubscription)
              .query(String.class)
              .optional();
      if (bySubscription.isPresent()) {
        return bySubscription;
      }
    }
    if (stripeCustomer == null) {
      return Optional.empty();
    }
    return jdbc.sql(
            "select id from subscriptions where stripe_customer_id = ? order by archived_at nulls"
                + " first, id limit 1")
        .param(stripeCustomer)
        .query(String.class)
        .optional();
  }

  private State state(String id) {
    return jdbc.sql(
            "select payment_failing_since, stripe_paid_event_at, stripe_failed_event_at,"
                + " stripe_subscription_event_at, stripe_price_id, pending_stripe_price_id,"
                + " pending_stripe_quantity from"
                + " subscriptions where id = ?")
        .param(id)
        .query(
            (rs, n) ->
                new State(
                    Db.instant(rs, "payment_failing_since"),
                    Db.instant(rs, "stripe_paid_event_at"),
                    Db.instant(rs, "stripe_failed_event_at"),
                    Db.instant(rs, "stripe_subscription_event_at"),
                    rs.getString("stripe_price_id"),
                    rs.getString("pending_stripe_price_id"),
                    rs.getLong("pending_stripe_quantity")))
        .single();
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
