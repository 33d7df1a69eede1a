package dev.keyturn.cli;

import java.io.PrintWriter;
import java.util.List;

/** Aligned plain-text output: label/value lists and tables. */
public final class Text {
  private Text() {}

  /** {@code label value} lines with the values lined up. */
  public static void fields(PrintWriter out, String indent, List<String[]> rows) {
    int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
    for (String[] r : rows) {
      out.println(indent + pad(r[0], width) + "  " + r[1]);
    }
  }

  /** A table with a header row; every column but the last is padded, so long texts go last. */
  public static void table(PrintWriter out, List<String> header, List<List<String>> rows) {
    int[] widths = new int[header.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = header.get(c).length();
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    line(out, header, widths);
    for (List<String> row : rows) {
      line(out, row, widths);
    }
  }

  private static void line(PrintWriter out, List<String> cells, int[] widths) {
    StringBuilder b = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      boolean last = c == cells.size() - 1;
      b.append(last ? cells.get(c) : pad(cells.get(c), widths[c])).append(last ? "" : "  ");
    }
    out.println(b.toString().stripTrailing());
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }
}
