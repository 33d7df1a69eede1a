package dev.keyturn.server.usage;

import java.time.Instant;
import java.util.List;

/**
 * An installation of a subscription's product (the check-in's {@code instance_id}) and the nodes it
 * reported within the raw-report retention.
 *
 * @param bound whether this installation holds the subscription now
 * @param lastSeen the latest check-in of any of its nodes, null when none is retained
 * @param nodeCount how many nodes it reported within the retention
 */
public record Installation(
    String id, boolean bound, Instant lastSeen, int nodeCount, List<Node> nodes) {

  /**
   * @param name the node's name, or null for check-ins that named none
   */
  public record Node(String name, Instant firstSeen, Instant lastSeen, long checkIns) {}
}
