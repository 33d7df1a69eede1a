package dev.keyturn.client.checkin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The JSON body of {@code POST /api/v1/check-in}: {@code {"license_id", "instance_id",
 * "instance_domain", "usage": {…}, "client_version", "node"}}.
 *
 * @param instanceId the installation: every node of a multi-node product sends the same one
 * @param instanceDomain null when the product has none configured (sent as JSON null)
 * @param node which node of the installation checks in; null for a single-node product, and then
 *     left out of the body (so a single-node product's request is what it always was)
 */
public record CheckInRequest(
    String licenseId,
    String instanceId,
    String instanceDomain,
    Map<String, Long> usage,
    String clientVersion,
    @JsonInclude(JsonInclude.Include.NON_NULL) String node) {
  public CheckInRequest {
    Objects.requireNonNull(licenseId, "licenseId");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(clientVersion, "clientVersion");
    usage = new TreeMap<>(usage);
    if (node != null) {
      CheckInSettings.requireWireId("node", node);
    }
  }

  /** A single-node product's request: no node. */
  public CheckInRequest(
      String licenseId,
      String instanceId,
      String instanceDomain,
      Map<String, Long> usage,
      String clientVersion) {
    this(licenseId, instanceId, instanceDomain, usage, clientVersion, null);
  }
}
