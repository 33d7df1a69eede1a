package dev.keyturn.core.lifecycle;

import dev.keyturn.core.license.License;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The usage standing of docs/design.md §4 (issue 18): a pure function of the license and the usage
 * the product reports. Within the limit nothing shows; above it but within the license's {@code
 * overage_percent} a warning names the limit, usage and allowance and nothing is refused; above the
 * allowance the product refuses only what would raise usage further ({@link #increase}). Usage
 * never locks the product or removes anything.
 */
public final class Usage {
  /** The limit name a license's {@code seats} answers to when {@code [license.limits]} has none. */
  public static final String SEATS = "seats";

  private Usage() {}

  /**
   * The limit the license sets for {@code name}: its {@code [license.limits]} value, or for {@code
   * seats} the license's seats when above 0; empty when unlimited.
   */
  public static OptionalLong licensed(License license, String name) {
    Long named = license.limits().get(name);
    if (named != null) {
      return OptionalLong.of(named);
    }
    if (SEATS.equals(name) && license.seats() > 0) {
      return OptionalLong.of(license.seats());
    }
    return OptionalLong.empty();
  }

  /**
   * Every reported limit the license sets, in name order. Limits the license does not set are left
   * out (nothing to exceed); negative usage is refused, as it can only be the product's bug.
   *
   * @throws IllegalArgumentException for a negative usage value
   */
  public static UsageStanding evaluate(License license, Map<String, Long> usage) {
    List<LimitUsage> out = new ArrayList<>();
    new TreeMap<>(usage)
        .forEach(
            (name, used) -> {
              OptionalLong licensed = licensed(license, name);
              if (used != null && licensed.isPresent()) {
                out.add(evaluate(name, used, licensed.getAsLong(), license.overagePercent(name)));
              }
            });
    return new UsageStanding(out);
  }

  /** One limit's standing. */
  public static LimitUsage evaluate(String limit, long usage, long licensed, int overagePercent) {
    requireUsage(limit, usage);
    long ceiling = ceiling(licensed, overagePercent);
    UsageLevel level =
        usage <= licensed
            ? UsageLevel.WITHIN
            : usage <= ceiling ? UsageLevel.OVER_LIMIT : UsageLevel.OVER_ALLOWANCE;
    String text =
        switch (level) {
          case WITHIN -> "";
          case OVER_LIMIT ->
              limit
                  + ": "
                  + usage
                  + " in use, above the licensed "
                  + licensed
                  + "; the "
                  + overagePercent
                  + "% overage allowance permits up to "
                  + ceiling
                  + ". Ask your vendor to raise the limit.";
          case OVER_ALLOWANCE ->
              limit
                  + ": "
                  + usage
                  + " in use, above the licensed "
                  + licensed
                  + (overagePercent > 0
                      ? " and its " + overagePercent + "% overage allowance (" + ceiling + ")"
                      : "")
                  + ". Adding more is refused until usage is reduced or the limit raised;"
                  + " nothing has been locked or removed.";
        };
    return new LimitUsage(limit, usage, licensed, overagePercent, ceiling, level, text);
  }

  /**
   * Whether usage of {@code limit} may rise from {@code usage} by {@code by}: refused only when the
   * result would be above the ceiling (limit plus allowance). Keeping or lowering usage is always
   * allowed, whatever the standing.
   */
  public static UsageDecision increase(License license, String limit, long usage, long by) {
    requireUsage(limit, usage);
    if (by < 0) {
      throw new IllegalArgumentException(
          "the increase of " + limit + " must not be negative, was " + by);
    }
    long after = usage > Long.MAX_VALUE - by ? Long.MAX_VALUE : usage + by;
    OptionalLong licensed = licensed(license, limit);
    if (licensed.isEmpty()) {
      return new UsageDecision(true, limit, usage, after, Long.MAX_VALUE, "");
    }
    int percent = license.overagePercent(limit);
    long ceiling = ceiling(licensed.getAsLong(), percent);
    if (by == 0 || after <= ceiling) {
      return new UsageDecision(true, limit, usage, after, ceiling, "");
    }
    String message =
        "Adding "
            + by
            + " to "
            + limit
            + " would bring it to "
            + after
            + ", above the licensed "
            + licensed.getAsLong()
            + (percent > 0 ? " and its " + percent + "% overage allowance (" + ceiling + ")" : "")
            + ". Reduce "
            + limit
            + " first, or ask your vendor to raise the limit.";
    return new UsageDecision(false, limit, usage, after, ceiling, message);
  }

  /** {@code licensed + floor(licensed × percent / 100)}, without overflow. */
  static long ceiling(long licensed, int percent) {
    long allowance = licensed / 100 * percent + licensed % 100 * percent / 100;
    return licensed > Long.MAX_VALUE - allowance ? Long.MAX_VALUE : licensed + allowance;
  }

  private static void requireUsage(String limit, long usage) {
    if (usage < 0) {
      throw new IllegalArgumentException(
          "usage of " + limit + " must not be negative, was " + usage);
    }
  }
}
