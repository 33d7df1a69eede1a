package dev.keyturn.server.checkin.internal;

import java.util.Map;

/**
 * What a client reports (client runtime issue, item 5).
 *
 * @param instanceId the installation: every node of a multi-node product sends the same one
 * @param node which node of the installation reports (issue 18), optional
 */
public record CheckInRequest(
    String licenseId,
    String instanceId,
    String instanceDomain,
    Map<String, Long> usage,
    String clientVersion,
    String node) {}
