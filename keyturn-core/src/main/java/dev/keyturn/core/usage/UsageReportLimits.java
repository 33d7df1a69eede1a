package dev.keyturn.core.usage;

/**
 * How much a usage report may hold. Reading checks every limit before it builds anything from the
 * input, and the messages name the limit and its value, as {@code ReadLimits} does for licenses.
 *
 * @param maxReportBytes the whole envelope; a report of ten years of 64 limits is about 60 KB
 * @param maxMonths months covered by one report (ten years)
 * @param maxLimitsPerMonth limit names in one month's maxima
 * @param maxTextLength license id, installation id and limit names, in characters
 * @param maxUsage the largest usage value believed: anything above is a bug or a forgery
 * @param maxSequence the largest sequence and entry count: 2^53 − 1, the largest integer every
 *     SDK's JSON reads exactly
 */
public record UsageReportLimits(
    int maxReportBytes,
    int maxMonths,
    int maxLimitsPerMonth,
    int maxTextLength,
    long maxUsage,
    long maxSequence) {

  public static final int DEFAULT_MAX_REPORT_BYTES = 256 * 1024;
  public static final int DEFAULT_MAX_MONTHS = 120;
  public static final int DEFAULT_MAX_LIMITS_PER_MONTH = 64;
  public static final int DEFAULT_MAX_TEXT_LENGTH = 128;
  public static final long DEFAULT_MAX_USAGE = 1_000_000_000_000L;
  public static final long DEFAULT_MAX_SEQUENCE = (1L << 53) - 1;

  public static final UsageReportLimits DEFAULTS =
      new UsageReportLimits(
          DEFAULT_MAX_REPORT_BYTES,
          DEFAULT_MAX_MONTHS,
          DEFAULT_MAX_LIMITS_PER_MONTH,
          DEFAULT_MAX_TEXT_LENGTH,
          DEFAULT_MAX_USAGE,
          DEFAULT_MAX_SEQUENCE);

  public UsageReportLimits {
    if (maxReportBytes < 1024
        || maxMonths < 1
        || maxLimitsPerMonth < 1
        || maxTextLength < 1
        || maxUsage < 1
        || maxSequence < 1) {
      throw new IllegalArgumentException(
          "usage report limits must be positive (maxReportBytes at least 1024)");
    }
  }
}
