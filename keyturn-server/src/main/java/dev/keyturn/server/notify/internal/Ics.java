package dev.keyturn.server.notify.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A minimal RFC 5545 calendar: UTC times, CRLF line ends, escaped text and lines folded at 75
 * octets, which is all a mail client needs to put "license expires" into a calendar.
 */
public final class Ics {
  private static final DateTimeFormatter UTC =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /**
   * @param uid stable per event, so a re-sent calendar updates the entry instead of adding one
   */
  public record Event(String uid, Instant at, String summary, String description) {}

  private Ics() {}

  public static String calendar(Instant stamp, List<Event> events) {
    StringBuilder out = new StringBuilder();
    line(out, "BEGIN:VCALENDAR");
    line(out, "VERSION:2.0");
    line(out, "PRODID:-//Keyturn//License server//EN");
    line(out, "METHOD:PUBLISH");
    for (Event e : events) {
      line(out, "BEGIN:VEVENT");
      line(out, "UID:" + escape(e.uid()));
      line(out, "DTSTAMP:" + utc(stamp));
      line(out, "DTSTART:" + utc(e.at()));
      line(out, "DTEND:" + utc(e.at().plusSeconds(1800)));
      line(out, "SUMMARY:" + escape(e.summary()));
      line(out, "DESCRIPTION:" + escape(e.description()));
      line(out, "END:VEVENT");
    }
    line(out, "END:VCALENDAR");
    return out.toString();
  }

  /**
   * {@code yyyyMMdd'T'HHmmss'Z'}, written by hand for years 1000 to 9999: a sweep writes three per
   * mail, and the formatter was the most frequent frame of a catch-up's calendars.
   */
  static String utc(Instant at) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(at.getEpochSecond(), 0, ZoneOffset.UTC);
    if (t.getYear() < 1000 || t.getYear() > 9999) {
      return UTC.format(at);
    }
    char[] c = new char[16];
    digits(c, 0, t.getYear(), 4);
    digits(c, 4, t.getMonthValue(), 2);
    digits(c, 6, t.getDayOfMonth(), 2);
    c[8] = 'T';
    digits(c, 9, t.getHour(), 2);
    digits(c, 11, t.getMinute(), 2);
    digits(c, 13, t.getSecond(), 2);
    c[15] = 'Z';
    return new String(c);
  }

  private static void digits(char[] c, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  static String escape(String text) {
    return text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n");
  }

  /** Appends a content line, folded so no physical line exceeds 75 octets of UTF-8. */
  private static void line(StringBuilder out, String content) {
    int octets = 0;
    for (int i = 0; i < content.length(); ) {
      int cp = content.codePointAt(i);
      int size = utf8Octets(cp);
      if (octets + size > 75) {
        out.append("\r\n ");
        octets = 1;
      }
      out.appendCodePoint(cp);
      octets += size;
      i += Character.charCount(cp);
    }
    out.append("\r\n");
  }

  /** The length of a code point in UTF-8 (a lone surrogate is written as "?", one octet). */
  private static int utf8Octets(int cp) {
    if (cp < 0x80 || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)) {
      return 1;
    }
    return cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
}
