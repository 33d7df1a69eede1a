package dev.keyturn.server.audit;

import java.time.Instant;
import java.util.Map;

/** One entry of the audit log: what happened, when, who did it, to what, and the details. */
public record Event(
    long id,
    Instant occurredAt,
    String type,
    String actor,
    String subscriptionId,
    String licenseId,
    Map<String, Object> metadata) {}
