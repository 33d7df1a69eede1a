package dev.keyturn.server.license.internal;

import dev.keyturn.core.lifecycle.Lifecycle;
import dev.keyturn.core.lifecycle.Phase;
import dev.keyturn.core.lifecycle.Standing;
import dev.keyturn.server.license.LicenseRecord;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A license as the API shows it: the stored facts and where it stands now.
 *
 * @param text the signed file; only when one license is asked for
 */
public record LicenseView(
    String id,
    String subscriptionId,
    String keyId,
    String customer,
    String tier,
    long seats,
    List<String> tags,
    String policyPreset,
    int graceDays,
    String graceMode,
    Instant issuedAt,
    Instant notBefore,
    Instant expiresAt,
    Instant locksAt,
    String issuedBy,
    boolean revoked,
    Instant revokedAt,
    String revokedBy,
    String revokedReason,
    Phase phase,
    long daysUntilExpiry,
    String text) {

  static LicenseView of(LicenseRecord l, Instant now, boolean withText) {
    Standing standing =
        Lifecycle.evaluate(l.notBefore(), l.expiresAt(), now, l.policy(), ZoneOffset.UTC);
    return new LicenseView(
        l.id(),
        l.subscriptionId(),
        l.keyId(),
        l.customer(),
        l.tier(),
        l.seats(),
        l.tags(),
        l.policyPreset(),
        l.graceDays(),
        l.graceMode(),
        l.issuedAt(),
        l.notBefore(),
        l.expiresAt(),
        l.locksAt(),
        l.issuedBy(),
        l.revoked(),
        l.revokedAt(),
        l.revokedBy(),
        l.revokedReason(),
        standing.phase(),
        standing.daysUntilExpiry(),
        withText ? l.text() : null);
  }
}
