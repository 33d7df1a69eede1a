package dev.keyturn.server.console;

import dev.keyturn.core.lifecycle.Lifecycle;
import dev.keyturn.core.lifecycle.Standing;
import dev.keyturn.server.license.LicenseRecord;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A license in a subscription's history, with where it stands now: its lifecycle phase, REVOKED, or
 * SUPERSEDED when a later-expiring license replaced it (the client runs the newest one).
 */
public record LicenseRow(
    String id,
    String issued,
    String issuedBy,
    String validFrom,
    String expires,
    long daysLeft,
    String phase,
    List<String> tags,
    long seats,
    boolean revoked,
    String revokedNote) {

  static LicenseRow of(LicenseRecord l, Instant now) {
    return of(l, now, false);
  }

  static LicenseRow of(LicenseRecord l, Instant now, boolean superseded) {
    Standing standing =
        Lifecycle.evaluate(l.notBefore(), l.expiresAt(), now, l.policy(), ZoneOffset.UTC);
    return new LicenseRow(
        l.id(),
        Dates.minute(l.issuedAt()),
        l.issuedBy(),
        Dates.minute(l.notBefore()),
        Dates.minute(l.expiresAt()),
        standing.daysUntilExpiry(),
        l.revoked() ? "REVOKED" : superseded ? "SUPERSEDED" : standing.phase().name(),
        l.tags(),
        l.seats(),
        l.revoked(),
        l.revoked()
            ? "revoked "
                + Dates.minute(l.revokedAt())
                + " by "
                + l.revokedBy()
                + ": "
                + l.revokedReason()
            : "");
  }
}
