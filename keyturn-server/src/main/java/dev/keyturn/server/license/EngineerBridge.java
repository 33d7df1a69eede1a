package dev.keyturn.server.license;

import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.KeyturnServerException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What an ENGINEER may issue: an emergency bridge of at most 7 days (DESIGN §6, and the incident it
 * answers), not a way around SALES. It starts within a day, ends within 7 days of now, keeps the
 * product working at most 7 days after it expires, and cannot be chained: while another
 * engineer-issued license of the subscription is valid or not yet started, there is no new one.
 * Anything beyond needs SALES or an ADMIN.
 */
public final class EngineerBridge {
  public static final Duration MAX_VALIDITY = Duration.ofDays(7);
  public static final Duration MAX_START_DELAY = Duration.ofHours(24);
  public static final int MAX_GRACE_DAYS = 7;

  private EngineerBridge() {}

  /** The preset as an engineer's license carries it: its grace cut to {@link #MAX_GRACE_DAYS}. */
  public static Policy policy(Policy preset) {
    return preset.graceDays() <= MAX_GRACE_DAYS
        ? preset
        : preset.withGrace(MAX_GRACE_DAYS, preset.graceMode());
  }

  /**
   * @param openBridge an unexpired engineer-issued license of the same subscription, if any
   */
  static void check(
      Instant now, Instant notBefore, Instant expiresAt, Optional<String> openBridge) {
    if (notBefore.isAfter(now.plus(MAX_START_DELAY))) {
      throw refused(
          "not_before",
          "an ENGINEER's license must start within 24 hours; this one starts at " + notBefore);
    }
    Duration validity = Duration.between(notBefore, expiresAt);
    if (validity.compareTo(MAX_VALIDITY) > 0 || expiresAt.isAfter(now.plus(MAX_VALIDITY))) {
      throw refused(
          "expires_at",
          "an ENGINEER may issue licenses valid for at most 7 days from now; this one would be"
              + " valid for "
              + describe(validity)
              + " and expire at "
              + expiresAt);
    }
    if (openBridge.isPresent()) {
      throw refused(
          "one_bridge_at_a_time",
          "an ENGINEER may not issue another license while engineer-issued license "
              + openBridge.get()
              + " of this subscription is valid or not yet started");
    }
  }

  private static KeyturnServerException refused(String rule, String message) {
    return new KeyturnServerException(
        ErrorCode.ENGINEER_LIMIT_EXCEEDED,
        message + ". Ask SALES or an ADMIN for more",
        Map.of(
            "rule",
            rule,
            "max_validity",
            MAX_VALIDITY.toString(),
            "max_start_delay",
            MAX_START_DELAY.toString(),
            "max_grace_days",
            MAX_GRACE_DAYS));
  }

  private static String describe(Duration d) {
    long hours = d.toHours();
    return hours % 24 == 0 ? (hours / 24) + " days" : d.toString();
  }
}
