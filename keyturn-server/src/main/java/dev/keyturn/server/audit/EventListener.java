package dev.keyturn.server.audit;

import java.util.Map;

/** Told of every recorded event, inside the transaction that records it. */
public interface EventListener {
  void recorded(String type, String subscriptionId, String licenseId, Map<String, ?> metadata);
}
