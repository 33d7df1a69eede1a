package dev.keyturn.server.subscription;

/**
 * Published inside the transaction that created a subscription, so that the modules keeping rows of
 * their own for it (the lifecycle's sweep state) add them before it commits.
 */
public record SubscriptionCreated(String subscriptionId) {}
