package dev.keyturn.server.usage;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A subscription's daily usage as inline SVG, one panel per limit, for the console and the portal
 * (fragment {@code templates/usage/chart.html}). The geometry is computed here, so the pages need
 * no script (their CSP allows none inline) and the chart shows as it is in any browser.
 *
 * @param from the first day drawn
 * @param to the last day drawn
 */
public record UsageChart(LocalDate from, LocalDate to, List<Panel> panels) {
  static final int WIDTH = 720;
  static final int HEIGHT = 140;
  static final int LEFT = 44;
  static final int RIGHT = 8;
  static final int TOP = 12;
  static final int BOTTOM = 20;

  /**
   * @param points the polyline's points ({@code x,y x,y …}), one per day with data
   * @param licensedY where the licensed value's line is drawn, or -1 when the license sets none or
   *     it lies outside the plot
   * @param allowanceY the same for the allowance, -1 when there is none beyond the limit
   * @param latest the last day's value, null without data
   */
  public record Panel(
      String limit,
      String viewBox,
      int width,
      int height,
      int plotLeft,
      int plotRight,
      int baseline,
      String points,
      List<Dot> dots,
      long peak,
      Long licensed,
      int licensedY,
      Long allowance,
      int allowanceY,
      Long latest,
      String summary) {}

  /** A day with data, as a point with its tooltip (drawn when the series is short). */
  public record Dot(int x, int y, String title) {}

  public boolean empty() {
    return panels.isEmpty();
  }

  public int labelY() {
    return HEIGHT - 5;
  }

  public static UsageChart of(
      List<UsageDay> days, LocalDate from, LocalDate to, UsageLimits granted) {
    Map<String, TreeMap<LocalDate, Long>> byLimit = new TreeMap<>();
    for (UsageDay d : days) {
      byLimit.computeIfAbsent(d.limit(), k -> new TreeMap<>()).put(d.day(), d.max());
    }
    long span = Math.max(1, ChronoUnit.DAYS.between(from, to));
    List<Panel> panels = new ArrayList<>();
    byLimit.forEach(
        (limit, series) -> {
          Long licensed = granted.limit(limit).orElse(null);
          Long allowance = granted.allowance(limit).orElse(null);
          long peak = series.values().stream().mapToLong(Long::longValue).max().orElse(0);
          long top = Math.max(1, Math.max(peak, allowance == null ? 0 : allowance));
          int plotWidth = WIDTH - LEFT - RIGHT;
          int plotHeight = HEIGHT - TOP - BOTTOM;
          StringBuilder points = new StringBuilder();
          List<Dot> dots = new ArrayList<>();
          series.forEach(
              (day, value) -> {
                int x =
                    LEFT
                        + (int)
                            Math.round(
                                (double) plotWidth * ChronoUnit.DAYS.between(from, day) / span);
                int y = TOP + plotHeight - (int) Math.round((double) plotHeight * value / top);
                points.append(points.isEmpty() ? "" : " ").append(x).append(',').append(y);
                dots.add(new Dot(x, y, day + ": " + limit + " " + value));
              });
          int licensedY =
              licensed == null
                  ? -1
                  : TOP + plotHeight - (int) Math.round((double) plotHeight * licensed / top);
          int allowanceY =
              allowance == null || allowance.equals(licensed)
                  ? -1
                  : TOP + plotHeight - (int) Math.round((double) plotHeight * allowance / top);
          Long latest = series.lastEntry().getValue();
          String summary =
              limit
                  + ": peak "
                  + peak
                  + (licensed == null ? "" : ", licensed " + licensed)
                  + (allowanceY < 0 ? "" : ", allowance up to " + allowance)
                  + ", latest "
                  + latest
                  + " ("
                  + series.lastKey()
                  + ")";
          panels.add(
              new Panel(
                  limit,
                  "0 0 " + WIDTH + " " + HEIGHT,
                  WIDTH,
                  HEIGHT,
                  LEFT,
                  WIDTH - RIGHT,
                  TOP + plotHeight,
                  points.toString(),
                  series.size() <= 62 ? dots : List.of(),
                  peak,
                  licensed,
                  licensedY,
                  allowance,
                  allowanceY,
                  latest,
                  summary));
        });
    return new UsageChart(from, to, panels);
  }
}
