package dev.keyturn.server.license;

import dev.keyturn.core.license.GraceMode;
import dev.keyturn.core.license.LicensePolicy;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.server.policy.PolicyCodec;
import java.time.Instant;
import java.util.List;

/**
 * An issued license as stored: the exact signed file ({@code text}) plus the columns the server
 * queries by. Immutable but for revocation, which only adds who, when and why.
 *
 * @param policyDefinition the custom policy the license carries, as {@link PolicyCodec} stores it;
 *     null for a preset
 * @param policyRevision the revision of the server's policy it was issued under; null for a preset
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
    String policyDefinition,
    Integer policyRevision,
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

  /**
   * The policy signed into the license: the whole custom policy it carries ({@code
   * policy_definition}, format 2), or its preset with the grace it was signed with.
   */
  public Policy policy() {
    if (policyDefinition != null) {
      return PolicyCodec.decode(policyDefinition);
    }
    return Policy.forLicense(
        new LicensePolicy(
            policyPreset,
            graceDays,
            GraceMode.fromTomlName(graceMode)
                .orElseThrow(() -> new IllegalStateException("grace mode " + graceMode))));
  }
}
