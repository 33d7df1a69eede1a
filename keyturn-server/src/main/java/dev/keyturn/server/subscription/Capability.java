package dev.keyturn.server.subscription;

/**
 * An online capability the product asks the server about (e.g. {@code analytics}): on or off, with
 * an optional rate-limit override.
 *
 * @param rateLimitPerMinute {@code null} for the product's default limit
 */
public record Capability(boolean enabled, Long rateLimitPerMinute) {}
