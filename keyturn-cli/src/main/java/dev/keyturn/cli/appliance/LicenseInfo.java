package dev.keyturn.cli.appliance;

import dev.keyturn.core.license.License;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The license in force as {@code status} and {@code install} print it in JSON: the license file's
 * own key names, datetimes as ISO instants in UTC.
 *
 * @param instanceDomain {@code null} when the license is not bound to an instance
 * @param seats 0 means unlimited, as in the file
 */
public record LicenseInfo(
    String id,
    String subscriptionId,
    String customer,
    String instanceDomain,
    String tier,
    long seats,
    List<String> features,
    Map<String, Long> limits,
    String issuedAt,
    String notBefore,
    String expiresAt,
    Map<String, Object> policy) {

  static LicenseInfo of(License l) {
    Map<String, Object> policy = new LinkedHashMap<>();
    policy.put("preset", l.policy().preset());
    policy.put("grace_days", l.policy().graceDays());
    policy.put("grace_mode", l.policy().graceMode().tomlName());
    return new LicenseInfo(
        l.id(),
        l.subscriptionId(),
        l.customer(),
        l.instanceDomain().orElse(null),
        l.tier(),
        l.seats(),
        l.features(),
        l.sortedLimits(),
        l.issuedAt().toString(),
        l.notBefore().toString(),
        l.expiresAt().toString(),
        policy);
  }
}
