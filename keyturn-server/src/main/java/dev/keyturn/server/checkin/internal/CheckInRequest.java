package dev.keyturn.server.checkin.internal;

import java.util.Map;

/** What a client reports (client runtime issue, item 5). */
public record CheckInRequest(
    String licenseId,
    String instanceId,
    String instanceDomain,
    Map<String, Long> usage,
    String clientVersion) {}
