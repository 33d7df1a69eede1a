package dev.keyturn.core.license;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a license file in the layout of docs/design.md §3. It writes exactly the signed table, so
 * the output always reads back to the same canonical bytes. Lines stay short (the signature is
 * split across lines inside a multi-line string) so that mail programs have no reason to wrap them.
 */
final class LicenseWriter {
  /** Known keys of {@code [license]} in the order people expect to read them. */
  private static final List<String> SCALAR_ORDER =
      List.of(
          "id",
          "subscription_id",
          "customer",
          "instance_domain",
          "tier",
          "seats",
          "features",
          "tags",
          "issued_at",
          "not_before",
          "expires_at");

  private static final List<String> POLICY_ORDER =
      List.of(
          "preset",
          "name",
          "grace_days",
          "grace_mode",
          "lock_action",
          "expiry_notify",
          "lock_notify");

  private static final int SIGNATURE_LINE = 44;
  private static final int INLINE_ARRAY_WIDTH = 72;

  private LicenseWriter() {}

  static String write(SignedLicense signed) {
    License license = signed.license();
    Map<String, Object> table = signed.table();
    StringBuilder out = new StringBuilder(1024);
    out.append("# Keyturn license for ")
        .append(oneLine(license.customer()))
        .append(", valid from ")
        .append(license.notBefore())
        .append(" until ")
        .append(license.expiresAt())
        .append(".\n");
    out.append("# Editing anything in [license] invalidates the signature.\n");
    out.append("format = ").append(signed.format()).append("\n\n");

    out.append("[license]\n");
    for (String key : SCALAR_ORDER) {
      if (table.containsKey(key)) {
        keyValue(out, key, table.get(key));
      }
    }
    Map<String, Object> extensions = new TreeMap<>(table);
    extensions.keySet().removeAll(LicenseTable.KNOWN_KEYS);
    extensions.forEach((key, value) -> keyValue(out, key, value));

    for (String sub : List.of("limits", "overage_percent", "policy")) {
      if (table.get(sub) instanceof Map<?, ?> subTable) {
        out.append("\n[license.").append(sub).append("]\n");
        Map<String, Object> rest = new TreeMap<>();
        subTable.forEach((key, value) -> rest.put((String) key, value));
        for (String key : POLICY_ORDER) {
          if (rest.containsKey(key)) {
            keyValue(out, key, rest.remove(key));
          }
        }
        Map<String, List<?>> arraysOfTables = new TreeMap<>();
        rest.forEach(
            (key, value) -> {
              if (sub.equals("policy") && isArrayOfTables(value)) {
                arraysOfTables.put(key, (List<?>) value);
              } else {
                keyValue(out, key, value);
              }
            });
        // A custom policy's reminders as [[license.policy.reminders]] sections: one short line per
        // value, where an inline table would run past what a mail program leaves alone.
        arraysOfTables.forEach(
            (key, list) -> {
              for (Object item : list) {
                out.append("\n[[license.").append(sub).append('.').append(key).append("]]\n");
                Map<String, Object> entry = new TreeMap<>();
                ((Map<?, ?>) item).forEach((k, v) -> entry.put((String) k, v));
                if (entry.containsKey("days_before")) {
                  keyValue(out, "days_before", entry.remove("days_before"));
                }
                entry.forEach((k, v) -> keyValue(out, k, v));
              }
            });
      }
    }

    LicenseSignature signature = signed.signature();
    out.append("\n[signature]\n");
    keyValue(out, "algorithm", signature.algorithm());
    keyValue(out, "key_id", signature.keyId());
    out.append("value = \"\"\"\n");
    String value = signature.value();
    for (int i = 0; i < value.length(); i += SIGNATURE_LINE) {
      out.append(value, i, Math.min(value.length(), i + SIGNATURE_LINE)).append('\n');
    }
    out.append("\"\"\"\n");
    return out.toString();
  }

  private static boolean isArrayOfTables(Object value) {
    return value instanceof List<?> list
        && !list.isEmpty()
        && list.stream().allMatch(item -> item instanceof Map<?, ?>);
  }

  private static void keyValue(StringBuilder out, String key, Object value) {
    out.append(key).append(" = ");
    if (value instanceof List<?> list && inline(list).length() > INLINE_ARRAY_WIDTH) {
      out.append("[\n");
      for (Object item : list) {
        out.append("  ").append(value(item)).append(",\n");
      }
      out.append("]\n");
    } else {
      out.append(value(value)).append('\n');
    }
  }

  private static String value(Object value) {
    if (value instanceof String s) {
      return quote(s);
    } else if (value instanceof Double d) {
      return d.isNaN() ? "nan" : d.isInfinite() ? (d > 0 ? "inf" : "-inf") : d.toString();
    } else if (value instanceof Long || value instanceof Boolean) {
      return value.toString();
    } else if (value instanceof Instant i) {
      return DateTimeFormatter.ISO_INSTANT.format(i);
    } else if (value instanceof LocalDate d) {
      return DateTimeFormatter.ISO_LOCAL_DATE.format(d);
    } else if (value instanceof LocalDateTime d) {
      return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(d);
    } else if (value instanceof LocalTime t) {
      return DateTimeFormatter.ISO_LOCAL_TIME.format(t);
    } else if (value instanceof List<?> list) {
      return inline(list);
    } else if (value instanceof Map<?, ?> map) {
      StringBuilder b = new StringBuilder("{ ");
      map.forEach(
          (k, v) -> {
            if (b.length() > 2) {
              b.append(", ");
            }
            b.append(k).append(" = ").append(value(v));
          });
      return b.append(b.length() > 2 ? " }" : "}").toString();
    }
    throw new IllegalArgumentException("not a license value: " + value);
  }

  private static String inline(List<?> list) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < list.size(); i++) {
      b.append(i > 0 ? ", " : "").append(value(list.get(i)));
    }
    return b.append(']').toString();
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\u%04X", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\p{Cntrl}+", " ");
  }
}
