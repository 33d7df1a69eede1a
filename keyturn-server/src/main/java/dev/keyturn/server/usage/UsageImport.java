package dev.keyturn.server.usage;

import java.time.Instant;
import java.util.List;

/**
 * An imported air-gapped usage report, as the import history lists it.
 *
 * @param createdAt when the installation wrote the report
 * @param firstMonth the first month it covers ({@code YYYY-MM}), null for none
 * @param missingMonths the months it left uncovered since the installation's previous report
 * @param reportSha256 hex SHA-256 of the file as uploaded
 */
public record UsageImport(
    long id,
    String subscriptionId,
    String licenseId,
    String installationId,
    long sequence,
    Instant createdAt,
    Instant importedAt,
    String importedBy,
    String firstMonth,
    String lastMonth,
    long chainEntries,
    String chainHash,
    List<String> missingMonths,
    String reportSha256) {}
