package dev.keyturn.server.usage;

import dev.keyturn.core.usage.MonthlyUsage;
import dev.keyturn.core.usage.SignedUsageReport;
import dev.keyturn.core.usage.UsageReport;
import dev.keyturn.core.usage.UsageReportException;
import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.jdbc.Hashes;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.license.Licenses;
import dev.keyturn.server.usage.internal.UsageAlerts;
import dev.keyturn.server.usage.internal.UsageStore;
import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.KeyturnServerException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Imports an air-gapped installation's signed usage report ({@code keyturn-usage-report-v1},
 * written by {@code keyturn usage export}): verifies its signature, binds the installation's key on
 * the first import and refuses another key later, refuses a replay (a sequence not above the last
 * one) and an audit chain that went backwards, flags missing months, and adds the monthly maxima to
 * the usage history. A report only informs: nothing in it changes a license or what it grants.
 * Every refusal is a typed error and changes nothing (one transaction).
 */
@Component
public class UsageReports {
  /** How far a report's created_at may lie ahead of the server's clock (clock skew). */
  static final Duration FUTURE_TOLERANCE = Duration.ofDays(1);

  private final UsageStore store;
  private final UsageAlerts alerts;
  private final Licenses licenses;
  private final EventLog events;
  private final Clock clock;

  UsageReports(
      UsageStore store, UsageAlerts alerts, Licenses licenses, EventLog events, Clock clock) {
    this.store = store;
    this.alerts = alerts;
    this.licenses = licenses;
    this.events = events;
    this.clock = clock;
  }

  /**
   * An accepted report.
   *
   * @param firstImport whether this report bound the installation's key
   * @param missingMonths months neither this nor an earlier report of the installation covers,
   *     between the last one imported (or this report's first) and this report's last
   */
  public record Imported(
      long id,
      String subscriptionId,
      String licenseId,
      String installationId,
      long sequence,
      boolean firstImport,
      String firstMonth,
      String lastMonth,
      int months,
      List<String> missingMonths,
      long auditEntries) {}

  /**
   * @param bytes the report file as uploaded
   * @param subscriptionId the subscription the report is uploaded for; null: the license's
   * @param actor who imports it, as the audit log names them
   */
  @Transactional
  public Imported importReport(byte[] bytes, String subscriptionId, String actor) {
    Instant now = clock.instant();
    SignedUsageReport signed;
    UsageReport report;
    try {
      signed = SignedUsageReport.read(bytes);
      report = signed.verify();
    } catch (UsageReportException e) {
      throw refused(e);
    }
    LicenseRecord license =
        licenses
            .find(report.licenseId())
            .orElseThrow(
                () ->
                    new KeyturnServerException(
                        ErrorCode.USAGE_REPORT_UNKNOWN_LICENSE,
                        "the report names license "
                            + report.licenseId()
                            + ", which this server did not issue",
                        Map.of("license_id", report.licenseId())));
    String sub = license.subscriptionId();
    if (subscriptionId != null && !subscriptionId.equals(sub)) {
      throw new KeyturnServerException(
          ErrorCode.USAGE_REPORT_WRONG_SUBSCRIPTION,
          "the report is for license "
              + license.id()
              + " of subscription "
              + sub
              + ", not of "
              + subscriptionId,
          Map.of("subscription_id", sub));
    }
    if (report.createdAt().isAfter(now.plus(FUTURE_TOLERANCE))) {
      throw new KeyturnServerException(
          ErrorCode.USAGE_REPORT_OUT_OF_RANGE,
          "created_at "
              + report.createdAt()
              + " is in the future (the server's time is "
              + now
              + ")");
    }
    String installation = report.installationId();
    String fingerprint = report.installationKeyFingerprint();
    boolean first =
        store.bindInstallation(
            sub,
            installation,
            Base64.getEncoder().encodeToString(report.installationPublicKey().getEncoded()),
            fingerprint,
            now);
    UsageStore.InstallationRow before = store.lockInstallation(sub, installation);
    check(report, before, fingerprint);
    List<String> missing = missingMonths(report, before.lastMonth());
    String lastMonth = lastMonth(report, before.lastMonth());
    store.advanceInstallation(
        sub,
        installation,
        report.sequence(),
        report.auditChain().entries(),
        report.auditChain().lastHash(),
        lastMonth,
        now);
    List<Object[]> daily = new ArrayList<>();
    Map<String, Long> peaks = new TreeMap<>();
    for (MonthlyUsage m : report.months()) {
      daily.addAll(UsageStore.dailyRows(sub, installation, m.month().atDay(1), m.maxima()));
      m.maxima().forEach((limit, value) -> peaks.merge(limit, value, Math::max));
    }
    store.raiseDaily(daily);
    String firstMonth =
        report.months().isEmpty() ? null : report.months().get(0).month().toString();
    String reportLast =
        report.months().isEmpty()
            ? null
            : report.months().get(report.months().size() - 1).month().toString();
    long id =
        store.insertImport(
            new UsageImport(
                0,
                sub,
                license.id(),
                installation,
                report.sequence(),
                report.createdAt(),
                now,
                actor,
                firstMonth,
                reportLast,
                report.auditChain().entries(),
                report.auditChain().lastHash(),
                missing,
                Hashes.sha256Hex(bytes)));
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("installation_id", installation);
    details.put("sequence", report.sequence());
    details.put("months", report.months().size());
    details.put("missing_months", missing);
    details.put("key_bound", first);
    details.put("audit_entries", report.auditChain().entries());
    events.record("usage_report.imported", actor, sub, license.id(), details);
    alerts.check(
        sub,
        license.id(),
        peaks,
        "usage-report:" + installation,
        Map.of("installation_id", installation, "usage_report_sequence", report.sequence()),
        now);
    return new Imported(
        id,
        sub,
        license.id(),
        installation,
        report.sequence(),
        first,
        firstMonth,
        reportLast,
        report.months().size(),
        missing,
        report.auditChain().entries());
  }

  /** The subscription's imported reports, newest first. */
  public List<UsageImport> imports(String subscriptionId) {
    return store.imports(subscriptionId, 100);
  }

  private static void check(UsageReport report, UsageStore.InstallationRow before, String key) {
    String installation = report.installationId();
    if (!before.keyFingerprint().equals(key)) {
      throw new KeyturnServerException(
          ErrorCode.USAGE_REPORT_KEY_MISMATCH,
          "installation "
              + installation
              + " is bound to another key (since "
              + before.boundAt()
              + "): this report was not signed by that installation",
          Map.of("installation_id", installation));
    }
    if (report.sequence() <= before.lastSequence()) {
      throw new KeyturnServerException(
          ErrorCode.USAGE_REPORT_REPLAYED,
          "report "
              + report.sequence()
              + " of installation "
              + installation
              + " is not newer than report "
              + before.lastSequence()
              + ", imported before",
          Map.of("sequence", report.sequence(), "last_sequence", before.lastSequence()));
    }
    if (report.auditChain().entries() < before.lastChainEntries()) {
      throw new KeyturnServerException(
          ErrorCode.USAGE_REPORT_CHAIN_BACKWARDS,
          "the installation's audit log has "
              + report.auditChain().entries()
              + " entries, fewer than the "
              + before.lastChainEntries()
              + " of its last report: it was reset or rolled back",
          Map.of(
              "entries", report.auditChain().entries(),
              "last_entries", before.lastChainEntries()));
    }
  }

  /**
   * The months after the last imported one (or, on a first import, after the report's first) up to
   * the report's last, that the report does not cover.
   */
  static List<String> missingMonths(UsageReport report, String lastImported) {
    if (report.months().isEmpty()) {
      return List.of();
    }
    YearMonth first = report.months().get(0).month();
    YearMonth last = report.months().get(report.months().size() - 1).month();
    YearMonth from = lastImported == null ? first : YearMonth.parse(lastImported).plusMonths(1);
    List<YearMonth> covered = report.months().stream().map(MonthlyUsage::month).toList();
    List<String> missing = new ArrayList<>();
    for (YearMonth m = from; !m.isAfter(last); m = m.plusMonths(1)) {
      if (!covered.contains(m)) {
        missing.add(m.toString());
      }
    }
    return missing;
  }

  private static String lastMonth(UsageReport report, String before) {
    if (report.months().isEmpty()) {
      return before;
    }
    String last = report.months().get(report.months().size() - 1).month().toString();
    return before != null && before.compareTo(last) > 0 ? before : last;
  }

  private static KeyturnServerException refused(UsageReportException e) {
    ErrorCode code =
        switch (e.code()) {
          case MALFORMED -> ErrorCode.USAGE_REPORT_MALFORMED;
          case UNSUPPORTED_FORMAT -> ErrorCode.USAGE_REPORT_UNSUPPORTED_FORMAT;
          case TOO_LARGE -> ErrorCode.USAGE_REPORT_TOO_LARGE;
          case OUT_OF_RANGE -> ErrorCode.USAGE_REPORT_OUT_OF_RANGE;
          case SIGNATURE_MISMATCH -> ErrorCode.USAGE_REPORT_SIGNATURE_MISMATCH;
          case INSTALLATION_KEY_MISMATCH -> ErrorCode.USAGE_REPORT_KEY_MISMATCH;
        };
    return new KeyturnServerException(code, e.getMessage(), Map.of("reason", e.code().name()));
  }
}
