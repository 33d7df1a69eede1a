package dev.keyturn.core.lifecycle;

import java.util.Objects;

/**
 * One limit's usage standing.
 *
 * @param licensed the limit the license sets
 * @param overagePercent the license's allowance for it, 0 when none
 * @param ceiling the highest usage still within the allowance: {@code licensed + floor(licensed ×
 *     overagePercent / 100)}
 * @param text the banner sentence naming the limit, usage and allowance; empty when {@code WITHIN}
 */
public record LimitUsage(
    String limit,
    long usage,
    long licensed,
    int overagePercent,
    long ceiling,
    UsageLevel level,
    String text) {

  public LimitUsage {
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(text, "text");
  }
}
