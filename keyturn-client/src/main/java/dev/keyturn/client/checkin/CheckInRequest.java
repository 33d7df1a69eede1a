package dev.keyturn.client.checkin;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The JSON body of {@code POST /api/v1/check-in}: {@code {"license_id", "instance_id",
 * "instance_domain", "usage": {…}, "client_version"}}.
 *
 * @param instanceDomain null when the product has none configured (sent as JSON null)
 */
public record CheckInRequest(
    String licenseId,
    String instanceId,
    String instanceDomain,
    Map<String, Long> usage,
    String clientVersion) {
  public CheckInRequest {
    Objects.requireNonNull(licenseId, "licenseId");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(clientVersion, "clientVersion");
    usage = new TreeMap<>(usage);
  }
}
