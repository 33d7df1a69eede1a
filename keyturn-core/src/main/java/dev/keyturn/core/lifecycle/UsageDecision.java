package dev.keyturn.core.lifecycle;

/**
 * Whether the product may raise usage of a limit ({@link Usage#increase}).
 *
 * @param after the usage the increase would lead to
 * @param ceiling the highest usage the license allows, allowance included; {@link Long#MAX_VALUE}
 *     for a limit the license does not set
 * @param message empty when allowed; else the sentence to show the user
 */
public record UsageDecision(
    boolean allowed, String limit, long usage, long after, long ceiling, String message) {}
