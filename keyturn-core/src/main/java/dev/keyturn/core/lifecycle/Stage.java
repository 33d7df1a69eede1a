package dev.keyturn.core.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A point in a license's life, relative to its expiry: a reminder ({@code D-30} … {@code D-1}),
 * {@code EXPIRY} (grace starts) or {@code LOCK} (grace ends). Stages are instants, never calendar
 * guesses.
 *
 * @param id stable name, stored by the server to remember which notices went out
 * @param offset from {@code expires_at}: negative for reminders, zero for expiry, the grace length
 *     for lock
 * @param notice whether crossing this stage sends a notice
 */
public record Stage(
    String id,
    Duration offset,
    Phase phase,
    BannerLevel level,
    Dismissal dismissal,
    boolean notice) {
  public static final String EXPIRY = "EXPIRY";
  public static final String LOCK = "LOCK";

  public Stage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(offset, "offset");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(dismissal, "dismissal");
  }

  /** {@code D-30} for a reminder 30 days before expiry. */
  public static String reminderId(int daysBefore) {
    return "D-" + daysBefore;
  }

  public Instant startsAt(Instant expiresAt) {
    return expiresAt.plus(offset);
  }
}
