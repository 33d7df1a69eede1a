package dev.keyturn.core.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A point in a license's life, relative to its expiry: a reminder ({@code D-30} … {@code D-1}),
 * {@code EXPIRY} (grace starts) or {@code LOCK} (grace ends). Stages are instants, never calendar
 * guesses.
 *
 * @param id stable name, stored by the server to remember which notices went out
 * @param offset from {@code expires_at}: negative for reminders, zero for expiry, the grace length
 *     for lock
 * @param recipients who the server tells on crossing this stage, in enum order; none for a stage
 *     that only changes the banner
 */
public record Stage(
    String id,
    Duration offset,
    Phase phase,
    BannerLevel level,
    Dismissal dismissal,
    Set<Recipient> recipients) {
  public static final String EXPIRY = "EXPIRY";
  public static final String LOCK = "LOCK";

  public Stage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(offset, "offset");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(dismissal, "dismissal");
    recipients =
        Collections.unmodifiableSet(
            recipients.isEmpty() ? EnumSet.noneOf(Recipient.class) : EnumSet.copyOf(recipients));
  }

  /** Whether crossing this stage sends a notice at all. */
  public boolean notice() {
    return !recipients.isEmpty();
  }

  public boolean tells(Recipient recipient) {
    return recipients.contains(recipient);
  }

  /** {@code D-30} for a reminder 30 days before expiry. */
  public static String reminderId(int daysBefore) {
    return "D-" + daysBefore;
  }

  public Instant startsAt(Instant expiresAt) {
    return expiresAt.plus(offset);
  }
}
