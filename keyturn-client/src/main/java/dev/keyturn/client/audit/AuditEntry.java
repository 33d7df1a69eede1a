package dev.keyturn.client.audit;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One line of the audit log.
 *
 * @param seq the line number, from 1
 * @param at the guarded licensing time of the event (never behind an earlier entry's)
 * @param event what happened, e.g. {@code installed}, {@code clock_rollback}
 * @param data details, flat strings and numbers
 * @param prev the SHA-256 (hex) of the previous line, or {@link AuditLog#GENESIS} for the first
 */
public record AuditEntry(
    long seq, Instant at, String event, Map<String, Object> data, String prev) {
  public AuditEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(prev, "prev");
    data = Map.copyOf(data);
  }
}
