package dev.keyturn.server.subscription;

import dev.keyturn.server.jdbc.Db;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The billing provider's state kept on the subscription row: which Stripe price it is on, a
 * downgrade waiting for the next period, since when payments fail, and the creation time of the
 * last event of each kind (Stripe delivers out of order). Billing reads and moves it only through
 * here; the subscription module owns the row.
 */
@Component
public class SubscriptionBilling {
  private final JdbcClient jdbc;

  SubscriptionBilling(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Billing state kept next to the subscription row. */
  public record State(
      Instant paymentFailingSince,
      Instant paidEventAt,
      Instant failedEventAt,
      Instant subscriptionEventAt,
      String priceId,
      String pendingPriceId,
      long pendingQuantity) {}

  /**
   * The subscription a Stripe object belongs to: by its Stripe subscription, else by its customer;
   * an archived subscription only when no live one matches.
   */
  public Optional<String> matchStripe(String stripeSubscription, String stripeCustomer) {
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

  public State state(String id) {
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

  /** The downgrade that waited for the next period takes effect. */
  public void startPendingPrice(String id) {
    jdbc.sql(
            "update subscriptions set stripe_price_id = pending_stripe_price_id,"
                + " pending_stripe_price_id = null, pending_stripe_quantity = null where id = ?")
        .param(id)
        .update();
  }

  /** A paid invoice: payments no longer fail. */
  public void paid(String id, Instant eventCreated) {
    jdbc.sql(
            "update subscriptions set payment_failing_since = null, stripe_paid_event_at = ?"
                + " where id = ?")
        .params(Db.ts(eventCreated), id)
        .update();
  }

  /** A failed payment: failing since {@code now}, unless it already was. */
  public void paymentFailing(String id, Instant now, Instant eventCreated) {
    jdbc.sql(
            "update subscriptions set payment_failing_since = coalesce(payment_failing_since, ?),"
                + " stripe_failed_event_at = ? where id = ?")
        .params(Db.ts(now), Db.ts(eventCreated), id)
        .update();
  }

  public void subscriptionEventSeen(String id, Instant eventCreated) {
    jdbc.sql("update subscriptions set stripe_subscription_event_at = ? where id = ?")
        .params(Db.ts(eventCreated), id)
        .update();
  }

  /** The first price Stripe names for the subscription. */
  public void firstPrice(String id, String priceId) {
    jdbc.sql("update subscriptions set stripe_price_id = ? where id = ?")
        .params(priceId, id)
        .update();
  }

  /** An upgrade, in effect at once; a waiting downgrade is dropped. */
  public void priceChangedNow(String id, String priceId) {
    jdbc.sql(
            "update subscriptions set stripe_price_id = ?, pending_stripe_price_id = null,"
                + " pending_stripe_quantity = null where id = ?")
        .params(priceId, id)
        .update();
  }

  /** A downgrade, waiting for the next period. */
  public void priceChangeScheduled(String id, String priceId, long quantity) {
    jdbc.sql(
            "update subscriptions set pending_stripe_price_id = ?, pending_stripe_quantity ="
                + " ? where id = ?")
        .params(priceId, quantity, id)
        .update();
  }
}
