package dev.keyturn.core.lifecycle;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The usage standing of every limit the product reported and the license sets, in limit name order
 * ({@link Usage#evaluate}).
 */
public record UsageStanding(List<LimitUsage> limits) {
  public static final UsageStanding NONE = new UsageStanding(List.of());

  public UsageStanding {
    limits = List.copyOf(limits);
  }

  /** The most severe level of any limit; {@code WITHIN} when there is none. */
  public UsageLevel level() {
    return limits.stream()
        .map(LimitUsage::level)
        .max(Comparator.naturalOrder())
        .orElse(UsageLevel.WITHIN);
  }

  /** The limits above their licensed value, most severe first, then by name. */
  public List<LimitUsage> exceeded() {
    return limits.stream()
        .filter(l -> l.level() != UsageLevel.WITHIN)
        .sorted(Comparator.comparing(LimitUsage::level).reversed())
        .toList();
  }

  /**
   * The banner for the exceeded limits: {@code DANGER} when one is over its allowance, {@code
   * WARNING} when only over limits; never dismissible, as it changes only when usage or the license
   * does.
   */
  public Banner banner() {
    List<LimitUsage> exceeded = exceeded();
    if (exceeded.isEmpty()) {
      return Banner.NONE;
    }
    BannerLevel level =
        level() == UsageLevel.OVER_ALLOWANCE ? BannerLevel.DANGER : BannerLevel.WARNING;
    return new Banner(
        level,
        Dismissal.NOT_DISMISSIBLE,
        String.join(" ", exceeded.stream().map(LimitUsage::text).toList()));
  }

  public Optional<LimitUsage> of(String limit) {
    return limits.stream().filter(l -> l.limit().equals(limit)).findFirst();
  }
}
