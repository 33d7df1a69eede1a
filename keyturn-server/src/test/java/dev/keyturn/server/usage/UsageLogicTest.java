package dev.keyturn.server.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.core.usage.AuditChain;
import dev.keyturn.core.usage.MonthlyUsage;
import dev.keyturn.core.usage.UsageReport;
import dev.keyturn.server.support.Records;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The usage module's pure parts: allowances, missing months, the true-up's sums and the chart. */
class UsageLogicTest {

  @Test
  void the_allowance_is_the_limit_plus_the_floor_of_its_percent() {
    UsageLimits limits =
        new UsageLimits(
            Map.of("users", 250L, "devices", 7L, "seats", 10L), Map.of("users", 10, "devices", 15));
    assertThat(limits.allowance("users")).contains(275L);
    assertThat(limits.allowance("devices")).contains(8L); // 7 + floor(1.05)
    assertThat(limits.allowance("seats")).contains(10L); // no allowance: the limit itself
    assertThat(limits.allowance("api_calls")).isEmpty();
  }

  private static UsageReport report(YearMonth... months) {
    var key = UsageReportTests.installationKey();
    List<MonthlyUsage> list =
        java.util.Arrays.stream(months).map(m -> new MonthlyUsage(m, Map.of("users", 1L))).toList();
    return new UsageReport(
        "lic_1",
        "inst-1",
        key.getPublic(),
        1,
        Instant.parse("2027-01-15T00:00:00Z"),
        list,
        new AuditChain(0, AuditChain.EMPTY_HASH));
  }

  @Test
  void missing_months_are_the_holes_since_the_last_imported_month() {
    YearMonth jan = YearMonth.of(2026, 1);
    // First report: only its own holes.
    assertThat(UsageReports.missingMonths(report(jan, jan.plusMonths(3)), null))
        .containsExactly("2026-02", "2026-03");
    // After 2025-11: December is missing before January.
    assertThat(UsageReports.missingMonths(report(jan, jan.plusMonths(1)), "2025-11"))
        .containsExactly("2025-12");
    // Overlapping an imported month is no gap.
    assertThat(UsageReports.missingMonths(report(jan, jan.plusMonths(1)), "2026-01")).isEmpty();
    assertThat(UsageReports.missingMonths(report(), "2026-01")).isEmpty();
  }

  @Test
  void the_true_up_sums_each_months_excess_over_the_licensed_value() {
    var license =
        Records.license("lic_t", "sub_t", Policy.APPLIANCE, Instant.parse("2026-04-01T00:00:00Z"));
    List<UsageDay> days =
        List.of(
            new UsageDay(LocalDate.of(2026, 1, 3), "users", 240),
            new UsageDay(LocalDate.of(2026, 1, 20), "users", 262), // January's maximum: 12 above
            new UsageDay(
                LocalDate.of(2026, 3, 9), "users", 255), // March: 5 above; February: no data
            new UsageDay(
                LocalDate.of(2026, 3, 9), "reports", 9)); // a limit the license does not set
    TrueUp.TrueUpReport r =
        TrueUp.TrueUpReport.of(
            license,
            LocalDate.of(2026, 1, 1),
            LocalDate.of(2026, 3, 31),
            new UsageLimits(Map.of("users", 250L), Map.of()),
            days);
    TrueUp.LimitLine reports = r.limits().get(0);
    TrueUp.LimitLine users = r.limits().get(1);
    assertThat(users.peak()).isEqualTo(262);
    assertThat(users.peakDay()).isEqualTo(LocalDate.of(2026, 1, 20));
    assertThat(users.months())
        .containsExactly(
            new TrueUp.Month("2026-01", 262L, 12),
            new TrueUp.Month("2026-02", null, 0),
            new TrueUp.Month("2026-03", 255L, 5));
    assertThat(users.monthsAbove()).isEqualTo(2);
    assertThat(users.unitMonthsAbove()).isEqualTo(17);
    assertThat(reports.licensed()).isNull();
    assertThat(reports.unitMonthsAbove()).isZero();
    assertThat(r.csv()).contains("users,250,2026-02,,0\r\n").contains("users,250,total,,17\r\n");
  }

  @Test
  void the_chart_draws_each_limit_against_its_licensed_value_and_allowance() {
    LocalDate from = LocalDate.of(2026, 1, 1);
    UsageChart chart =
        UsageChart.of(
            List.of(
                new UsageDay(from, "users", 100), new UsageDay(from.plusDays(10), "users", 300)),
            from,
            from.plusDays(10),
            new UsageLimits(Map.of("users", 250L), Map.of("users", 10)));
    UsageChart.Panel p = chart.panels().get(0);
    assertThat(p.points())
        .isEqualTo("44,84 712,12"); // x from the first to the last day; 300 at the top
    assertThat(p.licensedY())
        .isGreaterThan(p.allowanceY())
        .isGreaterThan(12); // 250 below 275 below 300
    assertThat(p.summary())
        .isEqualTo("users: peak 300, licensed 250, allowance up to 275, latest 300 (2026-01-11)");
    assertThat(UsageChart.of(List.of(), from, from, new UsageLimits(Map.of(), Map.of())).empty())
        .isTrue();
  }
}
