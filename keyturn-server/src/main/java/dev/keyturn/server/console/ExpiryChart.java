package dev.keyturn.server.console;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Expiries per week as an inline SVG drawn by the template: the geometry is computed here, so the
 * page needs no script and the chart shows in any browser (and in screenshots) as it is.
 */
public record ExpiryChart(
    int width, int height, String viewBox, List<Bar> bars, long total, long max) {
  static final int BAR = 28;
  static final int GAP = 4;
  static final int LEFT = 8;
  static final int TOP = 18;
  static final int PLOT = 120;
  static final int BOTTOM = 22;

  /**
   * @param label the week's first day, printed under every fourth bar
   * @param soon the first week, drawn in the warning colour
   */
  public record Bar(
      int x,
      int y,
      int barHeight,
      int textX,
      int textY,
      long count,
      String label,
      String title,
      boolean soon) {}

  static ExpiryChart of(Instant from, long[] perWeek) {
    long max = 1;
    long total = 0;
    for (long n : perWeek) {
      max = Math.max(max, n);
      total += n;
    }
    List<Bar> bars = new ArrayList<>();
    for (int week = 0; week < perWeek.length; week++) {
      long n = perWeek[week];
      int h = n == 0 ? 0 : (int) Math.max(2, Math.round((double) PLOT * n / max));
      int x = LEFT + week * (BAR + GAP);
      Instant start = from.plus(Duration.ofDays(7L * week));
      bars.add(
          new Bar(
              x,
              TOP + PLOT - h,
              h,
              x + BAR / 2,
              TOP + PLOT - h - 4,
              n,
              week % 4 == 0 ? Dates.shortDay(start) : "",
              n + " expir" + (n == 1 ? "y" : "ies") + " in the week from " + Dates.day(start),
              week == 0));
    }
    int width = LEFT * 2 + perWeek.length * (BAR + GAP);
    int height = TOP + PLOT + BOTTOM;
    return new ExpiryChart(width, height, "0 0 " + width + " " + height, bars, total, max);
  }

  public int baseline() {
    return TOP + PLOT;
  }

  public int labelY() {
    return TOP + PLOT + 15;
  }
}
