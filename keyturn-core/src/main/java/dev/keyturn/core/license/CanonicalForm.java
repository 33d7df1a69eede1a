package dev.keyturn.core.license;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bytes a license signature covers: {@code format} and the parsed {@code [license]} table,
 * never the raw text, so whitespace, comments, line endings and key order can change in transit
 * while any change of a value, or an added or removed key, breaks the signature.
 *
 * <p>Grammar (UTF-8): {@code "keyturn-license-v1\n" table} where a table is {@code {key=value,...}}
 * with keys in ascending order; an array is {@code [value,...]}; a string is JSON-quoted ({@code
 * "}, {@code \} and control characters escaped as {@code \\uXXXX}, everything else literal); an
 * integer is plain decimal; a float is {@code f} and its 16 hex digits of IEEE-754 bits; a boolean
 * is {@code true}/{@code false}; an offset datetime is {@code t} and the UTC instant as {@code
 * YYYY-MM-DDTHH:MM:SSZ} (fraction only when non-zero); local date, datetime and time are {@code d},
 * {@code l} and {@code h} and their ISO text. Every type has its own prefix, so no two different
 * tables share a serialization.
 */
public final class CanonicalForm {
  static final String PREFIX = "keyturn-license-v1\n";

  private CanonicalForm() {}

  public static byte[] of(long format, Map<String, Object> licenseTable) {
    Map<String, Object> root = new TreeMap<>();
    root.put("format", format);
    root.put("license", licenseTable);
    StringBuilder out = new StringBuilder(1024).append(PREFIX);
    append(out, root);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void append(StringBuilder out, Object value) {
    if (value instanceof String s) {
      appendString(out, s);
    } else if (value instanceof Long l) {
      out.append(l.longValue());
    } else if (value instanceof Double d) {
      out.append('f').append(String.format("%016x", Double.doubleToLongBits(d)));
    } else if (value instanceof Boolean b) {
      out.append(b.booleanValue());
    } else if (value instanceof Instant i) {
      out.append('t').append(DateTimeFormatter.ISO_INSTANT.format(i));
    } else if (value instanceof LocalDate d) {
      out.append('d').append(DateTimeFormatter.ISO_LOCAL_DATE.format(d));
    } else if (value instanceof LocalDateTime d) {
      out.append('l').append(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(d));
    } else if (value instanceof LocalTime t) {
      out.append('h').append(DateTimeFormatter.ISO_LOCAL_TIME.format(t));
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        append(out, list.get(i));
      }
      out.append(']');
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : new TreeMap<>(map).entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        out.append(e.getKey()).append('=');
        append(out, e.getValue());
      }
      out.append('}');
    } else {
      throw new IllegalArgumentException("not a license value: " + value);
    }
  }

  private static void appendString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }
}
