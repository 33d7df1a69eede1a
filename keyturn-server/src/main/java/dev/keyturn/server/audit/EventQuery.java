package dev.keyturn.server.audit;

import java.time.Instant;

/** Filters of the audit log; {@code null} means "any". Newest first, {@code beforeId} pages. */
public record EventQuery(
    String type,
    String subscriptionId,
    String licenseId,
    String actor,
    Instant since,
    Instant until,
    Long beforeId,
    int limit) {}
