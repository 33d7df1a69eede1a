package dev.keyturn.server.notify;

import dev.keyturn.server.subscription.Subscription;
import java.util.Optional;

/**
 * Where a customer's mail sends them to pay or renew. Billing implements it (a signed link to its
 * Billing Portal page), so notify, below billing, imports nothing of it.
 */
public interface BillingLinks {
  /** The link for this subscription's mails, when it pays through a billing provider. */
  Optional<String> link(Subscription s);
}
