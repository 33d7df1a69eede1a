package dev.keyturn.core.usage;

import java.time.YearMonth;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The highest usage the product recorded for each limit during one calendar month (UTC).
 *
 * @param maxima limit name (as in {@code [license.limits]}, or {@code seats}) → the month's maximum
 */
public record MonthlyUsage(YearMonth month, SortedMap<String, Long> maxima) {
  /** Limit names as license files allow them, so a report can name any limit a license sets. */
  static final Pattern LIMIT_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  public MonthlyUsage {
    Objects.requireNonNull(month, "month");
    Objects.requireNonNull(maxima, "maxima");
    maxima.forEach((name, value) -> checkValue(month, name, value));
    maxima = Collections.unmodifiableSortedMap(new TreeMap<>(maxima));
  }

  public MonthlyUsage(YearMonth month, Map<String, Long> maxima) {
    this(month, new TreeMap<>(maxima));
  }

  private static void checkValue(YearMonth month, String name, Long value) {
    if (name == null || !LIMIT_NAME.matcher(name).matches()) {
      throw UsageReportException.malformed(
          "months["
              + month
              + "].maxima has a limit name that is not 1 to 64 of A-Z a-z 0-9 _ -: \""
              + name
              + "\"");
    }
    if (value == null || value < 0 || value > UsageReportLimits.DEFAULT_MAX_USAGE) {
      throw UsageReportException.outOfRange(
          "months["
              + month
              + "].maxima."
              + name
              + " must be from 0 to "
              + UsageReportLimits.DEFAULT_MAX_USAGE
              + ", was "
              + value);
    }
  }
}
