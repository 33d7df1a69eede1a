package dev.keyturn.conformance;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What every vector file starts with. */
final class Vectors {
  /** Raised only for an incompatible change; within a version fields are added, never renamed. */
  static final int FORMAT_VERSION = 1;

  private Vectors() {}

  static ObjectNode header(String suite, String description) {
    ObjectNode root = JsonOut.object();
    root.put("$schema", "../schema/" + suite + ".schema.json");
    root.put("suite", suite);
    root.put("format_version", FORMAT_VERSION);
    root.put("generated_by", "dev.keyturn.conformance.Generate (conformance/README.md)");
    root.put("description", description);
    return root;
  }
}
