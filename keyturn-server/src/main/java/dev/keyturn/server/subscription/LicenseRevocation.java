package dev.keyturn.server.subscription;

import java.time.Instant;
import java.util.List;

/**
 * What archiving a subscription asks of the license module: revoke every license it still has. The
 * license module implements it, so that subscription (below license) needs no import of it.
 */
public interface LicenseRevocation {
  /** Revokes the subscription's unrevoked licenses, in this transaction; returns their ids. */
  List<String> revokeAllOf(String subscriptionId, Instant at, String by, String reason);
}
