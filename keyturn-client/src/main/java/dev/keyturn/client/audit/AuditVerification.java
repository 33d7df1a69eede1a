package dev.keyturn.client.audit;

import java.util.OptionalLong;

/**
 * The result of checking the audit log's hash chain.
 *
 * @param lines how many lines the log has
 * @param brokenLine the first line that was changed, removed or cannot be read; empty when intact
 * @param message what was found, in words an administrator can act on
 */
public record AuditVerification(long lines, OptionalLong brokenLine, String message) {
  public boolean intact() {
    return brokenLine.isEmpty();
  }

  static AuditVerification ok(long lines, String message) {
    return new AuditVerification(lines, OptionalLong.empty(), message);
  }

  static AuditVerification broken(long lines, long line, String message) {
    return new AuditVerification(lines, OptionalLong.of(line), message);
  }
}
