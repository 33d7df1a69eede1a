package dev.keyturn.server.usage;

import dev.keyturn.server.license.LicenseQuery;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.license.Licenses;
import dev.keyturn.server.usage.internal.UsageAlerts;
import dev.keyturn.server.web.KeyturnServerException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/**
 * The true-up report of a subscription's term (one license's validity): per limit, the peak and
 * each month's maximum against what the license grants, and how many units ran above it × months,
 * the figure a renewal quote charges.
 */
@Component
public class TrueUp {
  private final UsageHistory history;
  private final UsageAlerts alerts;
  private final Licenses licenses;
  private final Clock clock;

  TrueUp(UsageHistory history, UsageAlerts alerts, Licenses licenses, Clock clock) {
    this.history = history;
    this.alerts = alerts;
    this.licenses = licenses;
    this.clock = clock;
  }

  /**
   * @param licenseId the term's license; null for the subscription's current license
   */
  public TrueUpReport report(String subscriptionId, String licenseId) {
    LicenseRecord license = term(subscriptionId, licenseId);
    LocalDate first = LocalDate.ofInstant(license.notBefore(), ZoneOffset.UTC);
    LocalDate last = LocalDate.ofInstant(license.expiresAt().minusNanos(1), ZoneOffset.UTC);
    List<UsageDay> days = history.days(subscriptionId, first, last);
    return TrueUpReport.of(license, first, last, alerts.limitsOf(license.id()), days);
  }

  /** The licenses of a subscription a true-up can be asked for, newest first. */
  public List<LicenseRecord> terms(String subscriptionId) {
    return licenses.search(
        new LicenseQuery(
            subscriptionId, null, null, null, null, null, LicenseQuery.Sort.ISSUED_AT_DESC, 100, 0),
        clock.instant());
  }

  private LicenseRecord term(String subscriptionId, String licenseId) {
    Instant now = clock.instant();
    if (licenseId == null || licenseId.isBlank()) {
      history.installations(subscriptionId); // 404 for an unknown subscription
      return licenses
          .newestUsable(subscriptionId, now)
          .orElseThrow(
              () ->
                  KeyturnServerException.notFound(
                      "current license of subscription", subscriptionId));
    }
    return licenses
        .find(licenseId.strip())
        .filter(l -> l.subscriptionId().equals(subscriptionId))
        .orElseThrow(() -> KeyturnServerException.notFound("license", licenseId));
  }

  /**
   * @param first the term's first UTC day
   * @param last the term's last UTC day
   */
  public record TrueUpReport(
      String subscriptionId,
      String licenseId,
      LocalDate first,
      LocalDate last,
      List<LimitLine> limits) {

    static TrueUpReport of(
        LicenseRecord license,
        LocalDate first,
        LocalDate last,
        UsageLimits granted,
        List<UsageDay> days) {
      Map<String, Map<YearMonth, Long>> monthly = new TreeMap<>();
      Map<String, UsageDay> peaks = new TreeMap<>();
      for (UsageDay d : days) {
        monthly
            .computeIfAbsent(d.limit(), k -> new TreeMap<>())
            .merge(YearMonth.from(d.day()), d.max(), Math::max);
        peaks.merge(d.limit(), d, (a, b) -> b.max() > a.max() ? b : a);
      }
      TreeSet<String> names = new TreeSet<>(granted.limits().keySet());
      names.addAll(monthly.keySet());
      List<LimitLine> lines = new ArrayList<>();
      for (String name : names) {
        Long licensed = granted.limit(name).orElse(null);
        List<Month> months = new ArrayList<>();
        long above = 0;
        int monthsAbove = 0;
        for (YearMonth m = YearMonth.from(first);
            !m.isAfter(YearMonth.from(last));
            m = m.plusMonths(1)) {
          Long max = monthly.getOrDefault(name, Map.of()).get(m);
          long over = max == null || licensed == null ? 0 : Math.max(0, max - licensed);
          above += over;
          monthsAbove += over > 0 ? 1 : 0;
          months.add(new Month(m.toString(), max, over));
        }
        UsageDay peak = peaks.get(name);
        lines.add(
            new LimitLine(
                name,
                licensed,
                granted.allowance(name).orElse(null),
                peak == null ? null : peak.max(),
                peak == null ? null : peak.day(),
                months,
                monthsAbove,
                above));
      }
      return new TrueUpReport(license.subscriptionId(), license.id(), first, last, lines);
    }

    /** The report as CSV: one row per limit and month, then each limit's peak and total. */
    public String csv() {
      StringBuilder out = new StringBuilder("limit,licensed,month,max,above_licensed\r\n");
      for (LimitLine l : limits) {
        String licensed = l.licensed() == null ? "" : l.licensed().toString();
        for (Month m : l.months()) {
          out.append(
                  String.join(
                      ",",
                      l.limit(),
                      licensed,
                      m.month(),
                      m.max() == null ? "" : m.max().toString(),
                      Long.toString(m.above())))
              .append("\r\n");
        }
        out.append(
                String.join(
                    ",",
                    l.limit(),
                    licensed,
                    "peak",
                    l.peak() == null ? "" : l.peak().toString(),
                    l.peak() == null || l.licensed() == null
                        ? "0"
                        : Long.toString(Math.max(0, l.peak() - l.licensed()))))
            .append("\r\n");
        out.append(
                String.join(
                    ",", l.limit(), licensed, "total", "", Long.toString(l.unitMonthsAbove())))
            .append("\r\n");
      }
      return out.toString();
    }
  }

  /**
   * @param licensed what the license grants, null for a limit it does not set (reported only)
   * @param allowance the limit plus its overage allowance, null like {@code licensed}
   * @param peak the term's highest day, null without data
   * @param unitMonthsAbove the sum over the term's months of (month's maximum − licensed) where
   *     positive: e.g. 10 seats above for 3 months is 30
   */
  public record LimitLine(
      String limit,
      Long licensed,
      Long allowance,
      Long peak,
      LocalDate peakDay,
      List<Month> months,
      int monthsAbove,
      long unitMonthsAbove) {}

  /**
   * @param month {@code YYYY-MM}
   * @param max the month's highest day, null without data
   * @param above how far that was above the licensed value, 0 when within it
   */
  public record Month(String month, Long max, long above) {}
}
