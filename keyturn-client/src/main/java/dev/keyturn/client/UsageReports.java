package dev.keyturn.client;

import dev.keyturn.client.audit.AuditLog;
import dev.keyturn.client.guard.GuardedTime;
import dev.keyturn.client.store.UsageRecord;
import dev.keyturn.core.usage.AuditChain;
import dev.keyturn.core.usage.MonthlyUsage;
import dev.keyturn.core.usage.SignedUsageReport;
import dev.keyturn.core.usage.UsageReport;
import java.security.KeyPair;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Writes the usage report of docs/usage-report.md: every month the usage record keeps, signed by
 * the installation key, with the next sequence number, and chained to the audit log. The export is
 * itself audited first, so the chain the report names ends with the entry recording it.
 */
final class UsageReports {
  static final String AUDIT_EVENT = "usage_report";

  private UsageReports() {}

  /** Call holding the engine's lock. */
  static SignedUsageReport export(Engine engine, KeyPair installationKey, String installationId) {
    GuardedTime t = engine.now();
    String licenseId =
        engine
            .history
            .inForce(t.effective())
            .map(l -> l.license().id())
            .orElseThrow(
                () ->
                    new ClientException(
                        "no license is in force: a usage report names the license it reports"
                            + " on; install one first"));
    engine.reloadUsage();
    UsageRecord record = engine.usageRecord;
    long sequence = record.lastReportSequence() + 1;
    List<MonthlyUsage> months = new ArrayList<>();
    record
        .months()
        .forEach(
            (month, maxima) -> {
              if (!maxima.isEmpty()) {
                months.add(new MonthlyUsage(YearMonth.parse(month), maxima));
              }
            });
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("license_id", licenseId);
    data.put("sequence", sequence);
    data.put("months", months.size());
    if (!months.isEmpty()) {
      data.put("from", months.get(0).month().toString());
      data.put("to", months.get(months.size() - 1).month().toString());
    }
    engine.record(new AuditEvent(t.effective(), AUDIT_EVENT, data), UnaryOperator.identity());
    AuditLog.Tail tail = engine.audit.tail();
    UsageReport report =
        new UsageReport(
            licenseId,
            installationId,
            installationKey.getPublic(),
            sequence,
            t.effective(),
            months,
            new AuditChain(tail.lines(), tail.hash()));
    SignedUsageReport signed = report.sign(installationKey.getPrivate());
    engine.writeUsage(record.withLastReportSequence(sequence));
    return signed;
  }
}
