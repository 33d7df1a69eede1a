package dev.keyturn.server.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Instants as console pages print them: in UTC, saying so. Staff in several zones read the same
 * page, and stages are instants, not calendar days.
 */
final class Dates {
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MINUTE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SHORT =
      DateTimeFormatter.ofPattern("d MMM").withZone(ZoneOffset.UTC);

  private Dates() {}

  static String day(Instant t) {
    return t == null ? "" : DAY.format(t);
  }

  static String minute(Instant t) {
    return t == null ? "" : MINUTE.format(t);
  }

  static String shortDay(Instant t) {
    return SHORT.format(t);
  }
}
