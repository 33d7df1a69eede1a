package dev.keyturn.server.usage;

import java.time.Instant;
import java.util.Map;

/**
 * What one check-in reported, as the usage history keeps it.
 *
 * @param installationId the check-in's {@code instance_id}: one installation however many nodes
 * @param node the product's node within the installation, or null for a single-node product
 * @param usage limit name → the value the product counts now (validated by check-in: names, 0 or
 *     more)
 */
public record CheckInUsage(
    String subscriptionId,
    String licenseId,
    String installationId,
    String node,
    Instant at,
    Map<String, Long> usage) {}
