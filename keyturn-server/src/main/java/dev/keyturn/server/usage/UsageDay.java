package dev.keyturn.server.usage;

import java.time.LocalDate;
import java.util.List;

/**
 * The highest value of one limit on one UTC day, over the subscription's installations.
 *
 * @param day the UTC calendar day
 */
public record UsageDay(LocalDate day, String limit, long max) {

  /** The days as CSV ({@code day,limit,max}, CRLF lines), as the API and the console serve them. */
  public static String csv(List<UsageDay> days) {
    StringBuilder csv = new StringBuilder("day,limit,max\r\n");
    for (UsageDay d : days) {
      csv.append(d.day()).append(',').append(d.limit()).append(',').append(d.max()).append("\r\n");
    }
    return csv.toString();
  }
}
