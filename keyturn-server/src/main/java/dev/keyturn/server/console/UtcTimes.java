package dev.keyturn.server.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.springframework.stereotype.Component;

/**
 * Instants as console pages show them, in UTC and saying so: staff in several zones read the same
 * log. Templates call it as {@code ${@utc.format(instant)}}.
 */
@Component("utc")
public class UtcTimes {
  private static final DateTimeFormatter MINUTES =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  public String format(Instant instant) {
    return instant == null ? "" : MINUTES.format(instant);
  }

  public String seconds(Instant instant) {
    return instant == null ? "" : SECONDS.format(instant);
  }
}
