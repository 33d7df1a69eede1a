package dev.keyturn.core.license;

/**
 * A quick lexical pass that bounds bracket nesting before the TOML parser runs, because the parser
 * recurses once per level and a few kilobytes of {@code [[[[...} would otherwise exhaust the stack.
 * It follows TOML's strings and comments only far enough to ignore brackets inside them; the parser
 * does the real validation.
 */
final class NestingScan {
  private NestingScan() {}

  static void check(String text, int maxDepth) {
    // Table headers add up to two levels ("[[a]]") on top of the value nesting the limit is about.
    int allowed = maxDepth + 2;
    int depth = 0;
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '#') {
        i = skipLine(text, i);
      } else if (c == '"' || c == '\'') {
        i = skipString(text, i, c);
      } else {
        if (c == '[' || c == '{') {
          if (++depth > allowed) {
            throw LicenseFormatException.malformed(
                "brackets are nested more than "
                    + maxDepth
                    + " levels deep (ReadLimits.maxNestingDepth)");
          }
        } else if ((c == ']' || c == '}') && depth > 0) {
          depth--;
        }
        i++;
      }
    }
  }

  private static int skipLine(String text, int i) {
    int end = text.indexOf('\n', i);
    return end < 0 ? text.length() : end + 1;
  }

  private static int skipString(String text, int start, char quote) {
    String triple = String.valueOf(quote).repeat(3);
    boolean multiline = text.startsWith(triple, start);
    int i = start + (multiline ? 3 : 1);
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\\' && quote == '"') {
        i += 2;
      } else if (multiline ? text.startsWith(triple, i) : c == quote) {
        return i + (multiline ? 3 : 1);
      } else if (!multiline && c == '\n') {
        return i; // unterminated: the parser will report it
      } else {
        i++;
      }
    }
    return i;
  }
}
