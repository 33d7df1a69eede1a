package dev.keyturn.server.usage;

import java.time.LocalDate;

/**
 * The highest value of one limit on one UTC day, over the subscription's installations.
 *
 * @param day the UTC calendar day
 */
public record UsageDay(LocalDate day, String limit, long max) {}
