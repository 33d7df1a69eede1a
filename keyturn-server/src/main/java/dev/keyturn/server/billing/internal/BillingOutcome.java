package dev.keyturn.server.billing.internal;

/** What a Stripe event did, as stored with it and answered to Stripe. */
enum BillingOutcome {
  /** It changed the subscription. */
  APPLIED,
  /** It was older than what it would change, or changed nothing. */
  STALE,
  /** No subscription has its Stripe customer or subscription id: kept for follow-up. */
  UNMATCHED,
  /** A type billing does not act on: logged and kept. */
  UNHANDLED,
  /** Seen before: nothing done (not stored again). */
  DUPLICATE
}
