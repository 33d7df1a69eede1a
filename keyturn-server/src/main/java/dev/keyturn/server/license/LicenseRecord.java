package dev.keyturn.server.license;

import dev.keyturn.core.license.GraceMode;
import dev.keyturn.core.license.LicensePolicy;
import dev.keyturn.core.lifecycle.Policy;
import java.time.Instant;
import java.util.List;

/**
 * An issued license as stored: the exact signed file ({@code text}) plus the columns the server
 * queries by. Immutable but for revocation, which only adds who, when and why.
 */
public record LicenseRecord(
    String id,
    String subscriptionId,
    String keyId,
    String text,
    String customer,
    String tier,
    long seats,
    List<String> tags,
    String policyPreset,
    int graceDays,
    String graceMode,
    Instant issuedAt,
    Instant notBefore,
    Instant expiringAt,
    Instant expiresAt,
    Instant locksAt,
    String issuedBy,
    Instant revokedAt,
    String revokedBy,
    String revokedReason) {

  public boolean revoked() {
    return revokedAt != null;
  }

  /** The policy signed into the license. */
  public Policy policy() {
    return Policy.forLicense(
        new LicensePolicy(
            policyPreset,
            graceDays,
            GraceMode.fromTomlName(graceMode)
                .orElseThrow(() -> new IllegalStateException("grace mode " + graceMode))));
  }
}
