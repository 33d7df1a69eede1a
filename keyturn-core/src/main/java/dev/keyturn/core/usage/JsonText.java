package dev.keyturn.core.usage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The strict subset of JSON (RFC 8259) a usage report uses: objects, arrays, strings, whole numbers
 * and {@code true}/{@code false}/{@code null}. Core has no JSON library (its architecture test
 * keeps Jackson out), and a report needs only this much, so it is read here: fractions and
 * exponents are refused rather than rounded, duplicate keys are refused rather than one silently
 * winning, and nesting is bounded before the recursion could exhaust the stack.
 *
 * <p>Objects come back as insertion-ordered {@code Map<String, Object>}, arrays as {@code List},
 * numbers as {@code Long}; {@code null} as {@link #NULL}.
 */
final class JsonText {
  /** JSON's {@code null}, told apart from a missing key. */
  static final Object NULL = new Object();

  private static final int MAX_DEPTH = 8;

  private final String text;
  private int pos;

  private JsonText(String text) {
    this.text = text;
  }

  /** Parses one JSON value filling the whole text; leading and trailing whitespace is allowed. */
  static Object parse(String text, String what) {
    JsonText p = new JsonText(text);
    try {
      p.skipSpace();
      Object value = p.value(1);
      p.skipSpace();
      if (p.pos != text.length()) {
        throw p.error("unexpected text after the end");
      }
      return value;
    } catch (Syntax e) {
      throw UsageReportException.malformed(what + " is not valid JSON: " + e.getMessage());
    }
  }

  private Object value(int depth) {
    if (pos >= text.length()) {
      throw error("unexpected end");
    }
    char c = text.charAt(pos);
    return switch (c) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", NULL);
      default -> {
        if (c == '-' || (c >= '0' && c <= '9')) {
          yield number();
        }
        throw error("unexpected character '" + printable(c) + "'");
      }
    };
  }

  private Map<String, Object> object(int depth) {
    checkDepth(depth);
    pos++;
    Map<String, Object> out = new LinkedHashMap<>();
    skipSpace();
    if (peek() == '}') {
      pos++;
      return out;
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw error("expected a key in quotes");
      }
      int keyAt = pos;
      String key = string();
      skipSpace();
      expect(':');
      skipSpace();
      Object v = value(depth + 1);
      if (out.putIfAbsent(key, v) != null) {
        pos = keyAt;
        throw error("duplicate key \"" + key + "\"");
      }
      skipSpace();
      char c = next();
      if (c == '}') {
        return out;
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or '}'");
      }
    }
  }

  private List<Object> array(int depth) {
    checkDepth(depth);
    pos++;
    List<Object> out = new ArrayList<>();
    skipSpace();
    if (peek() == ']') {
      pos++;
      return out;
    }
    while (true) {
      skipSpace();
      out.add(value(depth + 1));
      skipSpace();
      char c = next();
      if (c == ']') {
        return out;
      }
      if (c != ',') {
        pos--;
        throw error("expected ',' or ']'");
      }
    }
  }

  private String string() {
    pos++; // the opening quote
    StringBuilder b = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return b.toString();
      }
      if (c < 0x20) {
        pos--;
        throw error("raw control character in a string");
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = next();
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw error("short \\u escape");
          }
          try {
            b.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          } catch (NumberFormatException x) {
            throw error("bad \\u escape");
          }
          pos += 4;
        }
        default -> {
          pos--;
          throw error("bad escape '\\" + printable(e) + "'");
        }
      }
    }
  }

  private Long number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    int digits = pos;
    while (pos < text.length() && Character.isDigit(text.charAt(pos)) && text.charAt(pos) < 128) {
      pos++;
    }
    if (pos == digits) {
      throw error("a number needs digits");
    }
    if (text.charAt(digits) == '0' && pos - digits > 1) {
      pos = start;
      throw error("leading zeros are not allowed");
    }
    if (pos < text.length() && ".eE".indexOf(text.charAt(pos)) >= 0) {
      pos = start;
      throw error("only whole numbers are allowed");
    }
    String literal = text.substring(start, pos);
    try {
      return Long.parseLong(literal);
    } catch (NumberFormatException e) {
      throw UsageReportException.outOfRange(
          "the number " + abbreviate(literal) + " is too large for a usage report");
    }
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, pos)) {
      throw error("unexpected word");
    }
    pos += word.length();
    return value;
  }

  private void checkDepth(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH + " levels");
    }
  }

  private void skipSpace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private char peek() {
    if (pos >= text.length()) {
      throw error("unexpected end");
    }
    return text.charAt(pos);
  }

  private char next() {
    char c = peek();
    pos++;
    return c;
  }

  private void expect(char c) {
    if (next() != c) {
      pos--;
      throw error("expected '" + c + "'");
    }
  }

  private Syntax error(String message) {
    return new Syntax(message + " at character " + (pos + 1));
  }

  private static String printable(char c) {
    return c < 0x20 || c == 0x7f ? String.format("\\u%04X", (int) c) : String.valueOf(c);
  }

  private static String abbreviate(String s) {
    return s.length() <= 24 ? s : s.substring(0, 20) + "…";
  }

  /** Writes a string as a JSON string literal: quotes, backslashes and controls escaped. */
  static void quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static final class Syntax extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Syntax(String message) {
      super(message, null, false, false);
    }
  }
}
