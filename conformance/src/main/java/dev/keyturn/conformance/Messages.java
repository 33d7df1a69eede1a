package dev.keyturn.conformance;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Writes a message with how it must be matched ({@code conformance/README.md}, "Messages"). */
final class Messages {
  private Messages() {}

  static void put(ObjectNode node, String message) {
    MessageClass mc = MessageClass.of(message);
    node.put("message", message);
    node.put("message_class", mc.name());
    node.put("message_match", mc.exact() ? "exact" : "prefix");
    node.put("message_prefix", mc.exact() ? message : mc.prefix());
  }
}
