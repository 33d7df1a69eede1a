package dev.keyturn.client.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The usage the product last reported, and each month's maxima, as kept in {@value
 * UsageStore#FILE}. Every change is a new value; {@link UsageStore} signs and writes it.
 *
 * @param recordedAt when the product last reported (ISO-8601, guarded time); {@code keyturn
 *     install} trusts the record for {@link UsageStore#TRUSTED_FOR} after it
 * @param current limit name → the usage last reported
 * @param months {@code YYYY-MM} (UTC) → limit name → the highest usage reported that month; the
 *     last {@link #MONTHS_KEPT} months are kept
 * @param lastReportSequence the sequence of the last usage report exported; 0 before the first
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record UsageRecord(
    int version,
    String recordedAt,
    SortedMap<String, Long> current,
    SortedMap<String, SortedMap<String, Long>> months,
    long lastReportSequence) {

  public static final int VERSION = 1;
  public static final int MONTHS_KEPT = 36;
  private static final Pattern LIMIT_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern MONTH = Pattern.compile("[0-9]{4}-(0[1-9]|1[0-2])");

  public UsageRecord {
    Objects.requireNonNull(recordedAt, "recordedAt");
    Instant.parse(recordedAt); // rejects a value that is not an instant while reading
    current = checked(current);
    TreeMap<String, SortedMap<String, Long>> m = new TreeMap<>();
    if (months != null) {
      months.forEach(
          (month, maxima) -> {
            if (!MONTH.matcher(month).matches()) {
              throw new IllegalArgumentException("not a month: " + month);
            }
            m.put(month, checked(maxima));
          });
    }
    months = Collections.unmodifiableSortedMap(m);
    if (lastReportSequence < 0) {
      throw new IllegalArgumentException("lastReportSequence must not be negative");
    }
  }

  public static UsageRecord empty() {
    return new UsageRecord(VERSION, Instant.EPOCH.toString(), null, null, 0);
  }

  public Instant recordedAtInstant() {
    return Instant.parse(recordedAt);
  }

  /** Whether the product has ever reported usage into this record. */
  public boolean hasUsage() {
    return !recordedAtInstant().equals(Instant.EPOCH);
  }

  /**
   * The usage reported at {@code at}: it becomes the current usage, and raises the maxima of {@code
   * at}'s month (UTC). Months beyond the last {@link #MONTHS_KEPT} are dropped.
   */
  public UsageRecord withReport(Map<String, Long> usage, Instant at) {
    SortedMap<String, Long> reported = checked(usage);
    String month = YearMonth.from(at.atZone(ZoneOffset.UTC)).toString();
    TreeMap<String, SortedMap<String, Long>> m = new TreeMap<>(months);
    TreeMap<String, Long> maxima = new TreeMap<>(m.getOrDefault(month, new TreeMap<>()));
    reported.forEach((name, value) -> maxima.merge(name, value, Math::max));
    m.put(month, maxima);
    while (m.size() > MONTHS_KEPT) {
      m.pollFirstEntry();
    }
    return new UsageRecord(
        version, at.truncatedTo(ChronoUnit.SECONDS).toString(), reported, m, lastReportSequence);
  }

  public UsageRecord withLastReportSequence(long sequence) {
    return new UsageRecord(version, recordedAt, current, months, sequence);
  }

  private static SortedMap<String, Long> checked(Map<String, Long> usage) {
    TreeMap<String, Long> out = new TreeMap<>();
    if (usage != null) {
      usage.forEach(
          (name, value) -> {
            if (name == null || !LIMIT_NAME.matcher(name).matches()) {
              throw new IllegalArgumentException(
                  "a usage name must be 1 to 64 of A-Z a-z 0-9 _ -, was \"" + name + "\"");
            }
            if (value == null || value < 0) {
              throw new IllegalArgumentException(
                  "usage of " + name + " must be 0 or more, was " + value);
            }
            out.put(name, value);
          });
    }
    return Collections.unmodifiableSortedMap(out);
  }
}
