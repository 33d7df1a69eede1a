package dev.keyturn.server.checkin.internal;

import dev.keyturn.core.lifecycle.BannerLevel;
import dev.keyturn.core.lifecycle.Dismissal;
import dev.keyturn.core.lifecycle.Mode;
import dev.keyturn.core.lifecycle.Phase;
import dev.keyturn.core.lifecycle.Standing;
import java.time.Instant;

/**
 * The answer to a check-in.
 *
 * @param standing where the license the client should run stands now (the newer one, when {@code
 *     license} carries one)
 * @param license the newest license's file when it expires later than the one presented, else null
 * @param checkInAfter when to check in again, ISO-8601 (e.g. {@code PT12H})
 * @param paymentFailing whether the subscription's payments are failing (set by billing)
 */
public record CheckInResponse(
    StandingView standing,
    boolean revoked,
    String license,
    String checkInAfter,
    boolean paymentFailing) {

  /** {@link Standing} on the wire. */
  public record StandingView(
      String licenseId,
      Phase phase,
      String stage,
      long daysUntilExpiry,
      long daysUntilLock,
      BannerView banner,
      Mode mode,
      Instant expiresAt,
      Instant locksAt,
      Instant nextChangeAt) {

    static StandingView of(String licenseId, Standing s) {
      return new StandingView(
          licenseId,
          s.phase(),
          s.stageId().isEmpty() ? null : s.stageId(),
          s.daysUntilExpiry(),
          s.daysUntilLock(),
          new BannerView(s.banner().level(), s.banner().dismissal(), s.banner().text()),
          s.mode(),
          s.expiresAt(),
          s.locksAt(),
          s.nextChangeAt().orElse(null));
    }
  }

  public record BannerView(BannerLevel level, Dismissal dismissal, String text) {}
}
