package dev.keyturn.core.lifecycle;

import java.time.Instant;
import java.util.Optional;

/**
 * What the lifecycle engine says for (license, instant, policy).
 *
 * @param stage the stage reached last, empty while ACTIVE or NOT_YET_VALID
 * @param daysUntilExpiry whole days left, rounded up (30 from D-30 until D-29); 0 once expired
 * @param daysUntilLock whole days until grace ends, rounded up; 0 once locked
 * @param nextChangeAt when any field (including the day counts and banner text) next changes; empty
 *     once locked. Clients refresh their snapshot then.
 * @param nextTransitionAt when the next stage starts; empty once locked. The server's sweep wakes
 *     up then.
 */
public record Standing(
    Phase phase,
    Optional<Stage> stage,
    long daysUntilExpiry,
    long daysUntilLock,
    Banner banner,
    Mode mode,
    Instant expiresAt,
    Instant locksAt,
    Optional<Instant> nextChangeAt,
    Optional<Instant> nextTransitionAt) {

  public String stageId() {
    return stage.map(Stage::id).orElse("");
  }
}
