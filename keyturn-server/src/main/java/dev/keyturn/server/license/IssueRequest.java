package dev.keyturn.server.license;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What to issue for a subscription; everything else (customer, tier, features, limits, instance,
 * policy) comes from the subscription.
 *
 * @param notBefore start of validity; now when absent
 * @param expiresAt end of validity; give this or {@code duration}
 * @param duration length of validity from {@code notBefore} (ISO-8601, e.g. {@code P365D})
 * @param seats overrides the subscription's seats (0 = unlimited)
 * @param tags e.g. {@code trial}, {@code internal}, {@code dev}, {@code test}
 */
public record IssueRequest(
    Instant notBefore, Instant expiresAt, Duration duration, Long seats, List<String> tags) {}
