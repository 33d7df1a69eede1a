package dev.keyturn.server.delivery;

import java.time.Instant;

/** An outbox row as the API shows it (without the payload). */
public record Delivery(
    long id,
    String kind,
    String target,
    String eventType,
    String subscriptionId,
    String endpointId,
    String state,
    int attempts,
    Instant nextAttemptAt,
    Instant createdAt,
    Instant deliveredAt,
    String lastError) {

  public static final String PENDING = "PENDING";
  public static final String DELIVERED = "DELIVERED";
  public static final String DEAD = "DEAD";

  /** Never sent: its webhook endpoint was disabled while it waited. */
  public static final String CANCELLED = "CANCELLED";
}
