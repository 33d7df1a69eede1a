package dev.keyturn.core.usage;

import java.util.regex.Pattern;

/**
 * Where the installation's hash-chained audit log stood when the report was written: how many
 * entries, and the SHA-256 (hex) of the last one. A later report must show a chain at least as
 * long; the server flags one that goes backwards.
 *
 * @param lastHash 64 lowercase hex digits; 64 zeros for an empty log
 */
public record AuditChain(long entries, String lastHash) {
  public static final String EMPTY_HASH = "0".repeat(64);
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  public AuditChain {
    if (entries < 0 || entries > UsageReportLimits.DEFAULT_MAX_SEQUENCE) {
      throw UsageReportException.outOfRange(
          "audit_chain.entries must be from 0 to "
              + UsageReportLimits.DEFAULT_MAX_SEQUENCE
              + ", was "
              + entries);
    }
    if (lastHash == null || !SHA256_HEX.matcher(lastHash).matches()) {
      throw UsageReportException.malformed(
          "audit_chain.last_hash must be 64 lowercase hex digits (a SHA-256)");
    }
    if (entries == 0 && !lastHash.equals(EMPTY_HASH)) {
      throw UsageReportException.malformed(
          "audit_chain.last_hash of an empty chain must be 64 zeros");
    }
  }
}
