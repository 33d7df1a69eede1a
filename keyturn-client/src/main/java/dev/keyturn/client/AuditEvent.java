package dev.keyturn.client;

import java.time.Instant;
import java.util.Map;

/**
 * An audit entry about to be written.
 *
 * @param at the guarded time of the event; null only before the guard exists (start-up), where the
 *     writer fills it in
 */
record AuditEvent(Instant at, String name, Map<String, ?> data) {
  AuditEvent at(Instant instant) {
    return new AuditEvent(instant, name, data);
  }
}
