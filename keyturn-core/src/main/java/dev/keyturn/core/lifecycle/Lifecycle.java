package dev.keyturn.core.lifecycle;

import dev.keyturn.core.license.GraceMode;
import dev.keyturn.core.license.License;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * The lifecycle engine of docs/design.md §4: a pure function of (license, instant, policy). Server
 * reminders, client banners and the CLI's simulation all call it, so they cannot disagree.
 */
public final class Lifecycle {
  private static final long DAY_SECONDS = Duration.ofDays(1).toSeconds();

  private Lifecycle() {}

  /** The standing with dates in banner texts shown in UTC. */
  public static Standing evaluate(License license, Instant now, Policy policy) {
    return evaluate(license, now, policy, ZoneOffset.UTC);
  }

  /** The standing, with banner texts written for a viewer in {@code zone}. */
  public static Standing evaluate(License license, Instant now, Policy policy, ZoneId zone) {
    return evaluate(license.notBefore(), license.expiresAt(), now, policy, zone);
  }

  /** The same for a bare validity window, e.g. to preview a license before it is issued. */
  public static Standing evaluate(
      Instant notBefore, Instant expiresAt, Instant now, Policy policy, ZoneId zone) {
    Instant locksAt = expiresAt.plus(policy.gracePeriod());
    long daysUntilExpiry = daysUntil(now, expiresAt);
    long daysUntilLock = daysUntil(now, locksAt);
    if (now.isBefore(notBefore)) {
      Banner banner =
          new Banner(
              BannerLevel.LOCK, Dismissal.NOT_DISMISSIBLE, BannerText.notYetValid(notBefore, zone));
      return new Standing(
          Phase.NOT_YET_VALID,
          Optional.empty(),
          daysUntilExpiry,
          daysUntilLock,
          banner,
          Mode.LOCKED,
          expiresAt,
          locksAt,
          Optional.of(notBefore),
          Optional.of(notBefore));
    }

    Optional<Stage> stage = currentStage(policy, expiresAt, now);
    Optional<Instant> nextTransition = nextTransition(policy, expiresAt, now);
    Phase phase = stage.map(Stage::phase).orElse(Phase.ACTIVE);
    Mode mode = mode(phase, policy);
    Banner banner =
        stage
            .map(
                s ->
                    new Banner(
                        s.level(),
                        s.dismissal(),
                        text(s, now, expiresAt, daysUntilExpiry, daysUntilLock, policy, zone)))
            .orElse(Banner.NONE);
    Optional<Instant> nextChange =
        phase == Phase.LOCKED
            ? Optional.empty()
            : Optional.of(nextChange(now, expiresAt, nextTransition, daysUntilExpiry, zone));
    return new Standing(
        phase,
        stage,
        daysUntilExpiry,
        daysUntilLock,
        banner,
        mode,
        expiresAt,
        locksAt,
        nextChange,
        nextTransition);
  }

  /**
   * The notice rule: the single most urgent stage that has been crossed and not yet notified. After
   * downtime across several stages this is only the latest one, so a customer never gets a burst of
   * stale reminders.
   *
   * @param lastNotified the id of the last stage already notified for this license, if any
   */
  public static Optional<Stage> noticeDue(
      Policy policy, Instant expiresAt, Optional<String> lastNotified, Instant now) {
    Optional<Stage> due =
        policy.stages().stream()
            .filter(Stage::notice)
            .filter(s -> !s.startsAt(expiresAt).isAfter(now))
            .reduce((earlier, later) -> later);
    if (due.isEmpty() || lastNotified.isEmpty()) {
      return due;
    }
    Duration sentOffset = offsetOf(policy, lastNotified.get());
    Stage candidate = due.get();
    int cmp = candidate.offset().compareTo(sentOffset);
    boolean alreadySent =
        cmp < 0
            || (cmp == 0
                && policy.stages().indexOf(candidate) <= indexOf(policy, lastNotified.get()));
    return alreadySent ? Optional.empty() : due;
  }

  private static Mode mode(Phase phase, Policy policy) {
    return switch (phase) {
      case NOT_YET_VALID, LOCKED -> Mode.LOCKED;
      case GRACE -> policy.graceMode() == GraceMode.READ_ONLY ? Mode.READ_ONLY : Mode.FULL;
      case ACTIVE, EXPIRING -> Mode.FULL;
    };
  }

  private static Optional<Stage> currentStage(Policy policy, Instant expiresAt, Instant now) {
    Stage current = null;
    for (Stage s : policy.stages()) {
      if (!s.startsAt(expiresAt).isAfter(now)) {
        current =
            s; // stages are in order; with no grace, LOCK follows EXPIRY at the same instant and
        // wins
      }
    }
    return Optional.ofNullable(current);
  }

  private static Optional<Instant> nextTransition(Policy policy, Instant expiresAt, Instant now) {
    return policy.stages().stream()
        .map(s -> s.startsAt(expiresAt))
        .filter(t -> t.isAfter(now))
        .findFirst();
  }

  private static String text(
      Stage stage,
      Instant now,
      Instant expiresAt,
      long daysUntilExpiry,
      long daysUntilLock,
      Policy policy,
      ZoneId zone) {
    return switch (stage.phase()) {
      case EXPIRING -> BannerText.expiring(now, expiresAt, daysUntilExpiry, zone);
      case GRACE -> BannerText.grace(expiresAt, daysUntilLock, policy, zone);
      case LOCKED -> BannerText.locked(expiresAt, policy, zone);
      case ACTIVE, NOT_YET_VALID -> "";
    };
  }

  /**
   * Day counts change on the 24-hour grid anchored at expiry; in the last day, the text also
   * changes at midnight.
   */
  private static Instant nextChange(
      Instant now,
      Instant expiresAt,
      Optional<Instant> nextTransition,
      long daysUntilExpiry,
      ZoneId zone) {
    long sinceExpiry = now.getEpochSecond() - expiresAt.getEpochSecond();
    Instant next =
        expiresAt.plusSeconds((Math.floorDiv(sinceExpiry, DAY_SECONDS) + 1) * DAY_SECONDS);
    if (nextTransition.isPresent() && nextTransition.get().isBefore(next)) {
      next = nextTransition.get();
    }
    if (daysUntilExpiry == 1) {
      Instant midnight = now.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
      if (midnight.isBefore(next)) {
        next = midnight;
      }
    }
    return next;
  }

  private static long daysUntil(Instant now, Instant then) {
    long seconds = then.getEpochSecond() - now.getEpochSecond();
    return seconds <= 0 ? 0 : Math.floorDiv(seconds + DAY_SECONDS - 1, DAY_SECONDS);
  }

  private static Duration offsetOf(Policy policy, String stageId) {
    Optional<Stage> known = policy.stage(stageId);
    if (known.isPresent()) {
      return known.get().offset();
    }
    // A stage of an earlier policy (the subscription changed preset): place it by its name.
    if (stageId.matches("D-[0-9]{1,3}")) {
      return Duration.ofDays(-Integer.parseInt(stageId.substring(2)));
    }
    throw new IllegalArgumentException("unknown notice stage '" + stageId + "'");
  }

  private static int indexOf(Policy policy, String stageId) {
    List<Stage> stages = policy.stages();
    for (int i = 0; i < stages.size(); i++) {
      if (stages.get(i).id().equals(stageId)) {
        return i;
      }
    }
    return -1;
  }
}
