package dev.keyturn.server.subscription;

import dev.keyturn.server.security.Actor;

/**
 * Published inside the transaction that moved a subscription's paid-through or contract end, so
 * automatic issuance runs before it commits.
 */
public record PaidThroughChanged(String subscriptionId, Actor actor) {}
