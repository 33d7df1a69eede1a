package dev.keyturn.server.subscription;

/** How the subscription is paid for. */
public enum BillingCycle {
  MONTHLY,
  ANNUAL,
  CONTRACT
}
