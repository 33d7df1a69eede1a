package dev.keyturn.server.subscription;

/**
 * Search filters; {@code null} means "any".
 *
 * @param text matched, case-insensitively, inside the display name, CRM account or subscription id,
 *     instance domain, contact e-mail addresses or id
 */
public record SubscriptionQuery(
    String text,
    CustomerType customerType,
    InstanceType instanceType,
    Boolean archived,
    int limit,
    int offset) {}
