package dev.keyturn.conformance;

import java.util.List;
import java.util.regex.Pattern;

/**
 * How an SDK's message must match Java's. Java's messages are exact wherever they come from Keyturn
 * itself; only the TOML parser's own error text (line, column and wording of a third-party parser)
 * is matched by its stable prefix. Every message also gets a class, a stable name an SDK may use to
 * group its tests.
 */
record MessageClass(String name, boolean exact, String prefix) {
  private record Rule(Pattern pattern, String name, String prefix) {}

  private static final String TOML_PREFIX = "not a valid TOML file";

  private static final List<Rule> RULES =
      List.of(
          rule("^not a valid TOML file", "toml-syntax", TOML_PREFIX),
          rule("^the file is larger than", "file-too-large", null),
          rule(
              "^brackets are nested more than|is nested \\d+ levels deep",
              "nesting-too-deep",
              null),
          rule("characters long, more than", "string-too-long", null),
          rule("items, more than", "array-too-long", null),
          rule("^the file is not valid UTF-8", "not-utf8", null),
          rule("^unexpected (top-level )?key", "unexpected-key", null),
          rule(": key '.*' must be", "bad-key-name", null),
          rule("is missing", "missing-field", null),
          rule("^signature\\.value is not valid base64", "bad-signature-encoding", null),
          rule(
              "less insistent than|two reminders at|must run from the earliest|must name each"
                  + " recipient once|reminders, at most",
              "policy-rule",
              null),
          rule("belongs to format 1", "wrong-value", null),
          rule("must be|not a host name", "wrong-value", null),
          rule("^license format \\d+ is newer", "unsupported-format-version", null),
          rule("^signature algorithm", "unsupported-algorithm", null),
          rule("^the license is signed with key", "unknown-key-id", null),
          rule("^the signature does not match", "signature-mismatch", null),
          rule("^this license is for the instance", "instance-mismatch", null),
          rule("^this license becomes valid at", "not-yet-valid", null),
          rule("^this license expired at", "expired", null),
          rule("^valid for ", "valid", null),
          rule("^signature valid", "authentic", null));

  private static Rule rule(String regex, String name, String prefix) {
    return new Rule(Pattern.compile(regex), name, prefix);
  }

  /** Fails on a message no rule knows, so a new Java message needs a decision here. */
  static MessageClass of(String message) {
    for (Rule r : RULES) {
      if (r.pattern().matcher(message).find()) {
        return new MessageClass(r.name(), r.prefix() == null, r.prefix());
      }
    }
    throw new IllegalStateException("no message class for: " + message);
  }
}
