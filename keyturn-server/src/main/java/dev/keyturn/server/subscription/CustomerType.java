package dev.keyturn.server.subscription;

/** Who the subscription is for; customer subscriptions must name their CRM account. */
public enum CustomerType {
  CUSTOMER,
  INTERNAL,
  TRIAL
}
