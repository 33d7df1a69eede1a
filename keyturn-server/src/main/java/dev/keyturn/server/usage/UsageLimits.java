package dev.keyturn.server.usage;

import dev.keyturn.core.license.License;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a license grants to count usage against: each limit of {@code [license.limits]}, plus {@code
 * seats} when the license counts seats (above 0), and the overage allowance of each.
 *
 * @param limits limit name → the licensed value
 * @param overagePercent limit name → the allowance in percent of the limit; absent: none
 */
public record UsageLimits(Map<String, Long> limits, Map<String, Integer> overagePercent) {
  public static final String SEATS = "seats";

  public UsageLimits {
    limits = Map.copyOf(limits);
    overagePercent = Map.copyOf(overagePercent);
  }

  public static UsageLimits of(License license) {
    Map<String, Long> limits = new TreeMap<>(license.limits());
    if (license.seats() > 0) {
      limits.putIfAbsent(SEATS, license.seats());
    }
    return new UsageLimits(limits, license.overagePercent());
  }

  public Optional<Long> limit(String name) {
    return Optional.ofNullable(limits.get(name));
  }

  /**
   * The highest value within the allowance: the limit plus floor(limit × percent / 100)
   * (docs/license-format.md, "Overage"); the limit itself when the license grants no allowance.
   */
  public Optional<Long> allowance(String name) {
    return limit(name)
        .map(
            limit -> limit + Math.multiplyExact(limit, overagePercent.getOrDefault(name, 0)) / 100);
  }
}
