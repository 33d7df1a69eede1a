package dev.keyturn.server.portal;

import dev.keyturn.core.license.GraceMode;
import dev.keyturn.core.lifecycle.Lifecycle;
import dev.keyturn.core.lifecycle.Phase;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.core.lifecycle.Stage;
import dev.keyturn.core.lifecycle.Standing;
import dev.keyturn.server.license.LicenseRecord;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a license stands, in words, from the same lifecycle engine as the product's banners and the
 * server's reminders: the phase, a headline ("Expires in 7 days"), the engine's own sentence, and
 * what happens next and when. Dates are in the viewer's zone.
 *
 * @param next what happens next, e.g. "Reminder: 1 day before expiry"; empty once locked
 * @param nextAt when, in the viewer's zone
 */
record StandingView(
    Phase phase,
    String headline,
    String sentence,
    long daysUntilExpiry,
    String expiresAt,
    String locksAt,
    Optional<String> next,
    Optional<String> nextAt) {

  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("d MMM uuuu, HH:mm z", Locale.ENGLISH);

  static StandingView of(LicenseRecord license, Instant now, ZoneId zone) {
    Policy policy = license.policy();
    Standing s = Lifecycle.evaluate(license.notBefore(), license.expiresAt(), now, policy, zone);
    String action = policy.lockAction().pastTense();
    String headline =
        switch (s.phase()) {
          case NOT_YET_VALID -> "Valid from " + format(license.notBefore(), zone);
          case ACTIVE, EXPIRING -> expires(s.daysUntilExpiry(), now, license.expiresAt(), zone);
          case GRACE ->
              "Expired: "
                  + s.daysUntilLock()
                  + (s.daysUntilLock() == 1 ? " day" : " days")
                  + " of grace left";
          case LOCKED -> "Expired and " + action;
        };
    String sentence =
        s.banner().text().isEmpty()
            ? "Your license is active until " + format(license.expiresAt(), zone) + "."
            : s.banner().text();
    Optional<String> next =
        s.nextTransitionAt()
            .flatMap(
                at ->
                    policy.stages().stream()
                        .filter(st -> st.startsAt(license.expiresAt()).equals(at))
                        .findFirst())
            .map(st -> describe(st, policy));
    return new StandingView(
        s.phase(),
        headline,
        sentence,
        s.daysUntilExpiry(),
        format(license.expiresAt(), zone),
        format(license.locksAt(), zone),
        next,
        s.nextTransitionAt().map(at -> format(at, zone)));
  }

  /** "Expires in N days"; in the last day "today" or "tomorrow" by the viewer's calendar. */
  private static String expires(long days, Instant now, Instant expiresAt, ZoneId zone) {
    if (days > 1) {
      return "Expires in " + days + " days";
    }
    boolean today = now.atZone(zone).toLocalDate().equals(expiresAt.atZone(zone).toLocalDate());
    return today ? "Expires today" : "Expires tomorrow";
  }

  private static String describe(Stage stage, Policy policy) {
    if (stage.id().equals(Stage.EXPIRY)) {
      return "The license expires; "
          + policy.graceDays()
          + " days of grace begin"
          + (policy.graceMode() == GraceMode.READ_ONLY ? " (read-only)" : "");
    }
    if (stage.id().equals(Stage.LOCK)) {
      return "Grace ends: the product is " + policy.lockAction().pastTense();
    }
    long days = stage.offset().negated().toDays();
    return "Reminder: " + days + (days == 1 ? " day" : " days") + " before expiry";
  }

  /** UTC reads "UTC", not "Z". */
  static String format(Instant instant, ZoneId zone) {
    return DATE_TIME.format(instant.atZone(zone.equals(ZoneOffset.UTC) ? ZoneId.of("UTC") : zone));
  }
}
