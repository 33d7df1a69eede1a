package dev.keyturn.core.lifecycle;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The banner sentences, with dates in the viewer's time zone. */
final class BannerText {
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("d MMM uuuu, HH:mm z", Locale.ENGLISH);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm z", Locale.ENGLISH);

  private BannerText() {}

  /** {@code ZoneOffset.UTC} would print as "Z"; people read "UTC". */
  private static ZonedDateTime at(Instant instant, ZoneId zone) {
    return instant.atZone(zone.equals(ZoneOffset.UTC) ? ZoneId.of("UTC") : zone);
  }

  static String notYetValid(Instant notBefore, ZoneId zone) {
    return "This license becomes valid on " + DATE_TIME.format(at(notBefore, zone)) + ".";
  }

  static String expiring(Instant now, Instant expiresAt, long days, ZoneId zone) {
    if (days > 1) {
      return "Your license expires in "
          + days
          + " days, on "
          + DATE_TIME.format(at(expiresAt, zone))
          + ". Renew it to keep working without interruption.";
    }
    // The last 24 hours: "today" or "tomorrow" as the viewer's own calendar has it.
    LocalDate today = at(now, zone).toLocalDate();
    LocalDate expiryDay = at(expiresAt, zone).toLocalDate();
    String when = expiryDay.equals(today) ? "today" : "tomorrow";
    return "Your license expires "
        + when
        + " at "
        + TIME.format(at(expiresAt, zone))
        + ". Renew it now to keep working without interruption.";
  }

  static String grace(Instant expiresAt, long daysUntilLock, Policy policy, ZoneId zone) {
    String expired = "Your license expired on " + DATE_TIME.format(at(expiresAt, zone)) + ". ";
    String remaining =
        daysUntilLock + (daysUntilLock == 1 ? " day" : " days") + " remaining before ";
    String action = policy.lockAction() == LockAction.LOCK ? "lock" : "suspension";
    return switch (policy.graceMode()) {
      case FULL -> expired + remaining + action + ". Renew to keep working.";
      case READ_ONLY ->
          expired
              + "The product is read-only: "
              + remaining
              + action
              + ". Renew to resume full use.";
    };
  }

  static String locked(Instant expiresAt, Policy policy, ZoneId zone) {
    return "Your license expired on "
        + DATE_TIME.format(at(expiresAt, zone))
        + " and the grace period has ended: the product is "
        + policy.lockAction().pastTense()
        + ". Paste a renewed license to continue; none of your data has been touched.";
  }
}
