package dev.keyturn.server.console;

import dev.keyturn.core.lifecycle.Lifecycle;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.core.lifecycle.Stage;
import dev.keyturn.core.lifecycle.Standing;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * What a license about to be signed will do, stage by stage, from keyturn-core's engine (the one
 * the client and the reminders use): so the preview cannot disagree with what happens.
 *
 * @param steps issuance, then every stage of the policy in order
 */
public record LifecyclePreview(
    String policy, String validFrom, String expires, String locks, List<Step> steps) {

  /**
   * @param reached a stage that would begin before the license is valid (a short license): the
   *     customer never sees it; the first row shows where the license starts instead
   */
  public record Step(
      String stage,
      String at,
      String phase,
      String banner,
      String dismissal,
      String mode,
      long daysLeft,
      boolean notice,
      boolean reached) {}

  static LifecyclePreview of(Instant notBefore, Instant expiresAt, Policy policy) {
    List<Step> steps = new ArrayList<>();
    steps.add(step("issued", notBefore, notBefore, expiresAt, policy, false, false));
    for (Stage stage : policy.stages()) {
      Instant at = stage.startsAt(expiresAt);
      if (at.isBefore(notBefore)) {
        steps.add(
            new Step(
                stage.id(),
                Dates.minute(at),
                stage.phase().name(),
                stage.level().name(),
                stage.dismissal().name(),
                "",
                0,
                false,
                true));
      } else {
        steps.add(step(stage.id(), at, notBefore, expiresAt, policy, stage.notice(), false));
      }
    }
    return new LifecyclePreview(
        policy.name()
            + " ("
            + policy.graceDays()
            + " days of "
            + policy.graceMode().tomlName()
            + " grace)",
        Dates.minute(notBefore),
        Dates.minute(expiresAt),
        Dates.minute(expiresAt.plus(policy.gracePeriod())),
        steps);
  }

  private static Step step(
      String name,
      Instant at,
      Instant notBefore,
      Instant expiresAt,
      Policy policy,
      boolean notice,
      boolean reached) {
    Standing s = Lifecycle.evaluate(notBefore, expiresAt, at, policy, ZoneOffset.UTC);
    return new Step(
        name,
        Dates.minute(at),
        s.phase().name(),
        s.banner().level().name(),
        s.banner().dismissal().name(),
        s.mode().name(),
        s.daysUntilExpiry(),
        notice,
        reached);
  }
}
