package dev.keyturn.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.license.GraceMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Laws of the engine that hold for every policy, license length and pair of instants. */
class StandingPropertiesTest {
  private static final Instant NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");

  /** Phase, then banner level, then dismissal, then mode: the order in which severity is felt. */
  private static final Comparator<Standing> SEVERITY =
      Comparator.comparing(Standing::phase)
          .thenComparing(s -> s.banner().level())
          .thenComparing(s -> s.banner().dismissal())
          .thenComparing(Standing::mode);

  @Provide
  Arbitrary<Policy> policies() {
    Arbitrary<Integer> grace = Arbitraries.integers().between(0, 120);
    Arbitrary<GraceMode> mode = Arbitraries.of(GraceMode.class);
    return Arbitraries.of(Policy.APPLIANCE, Policy.SUBSCRIPTION)
        .flatMap(p -> grace.flatMap(g -> mode.map(m -> p.withGrace(g, m))));
  }

  @Provide
  Arbitrary<ZoneId> zones() {
    return Arbitraries.of(
            "UTC", "America/Sao_Paulo", "Asia/Tokyo", "Pacific/Chatham", "Europe/Berlin")
        .map(ZoneId::of);
  }

  @Property(tries = 2000)
  void standing_only_gets_more_severe_as_time_moves_forward(
      @ForAll("policies") Policy policy,
      @ForAll @IntRange(min = 1, max = 800) int lengthDays,
      @ForAll @LongRange(min = 0, max = 1000L * 86400) long first,
      @ForAll @LongRange(min = 0, max = 200L * 86400) long step) {
    Instant expires = NOT_BEFORE.plus(Duration.ofDays(lengthDays));
    Instant t1 = NOT_BEFORE.plusSeconds(first);
    Instant t2 = t1.plusSeconds(step);

    Standing s1 = Lifecycle.evaluate(NOT_BEFORE, expires, t1, policy, ZoneId.of("UTC"));
    Standing s2 = Lifecycle.evaluate(NOT_BEFORE, expires, t2, policy, ZoneId.of("UTC"));

    assertThat(SEVERITY.compare(s2, s1)).as("%s then %s", s1, s2).isGreaterThanOrEqualTo(0);
    assertThat(s2.daysUntilExpiry()).isLessThanOrEqualTo(s1.daysUntilExpiry());
    assertThat(s2.daysUntilLock()).isLessThanOrEqualTo(s1.daysUntilLock());
  }

  @Property(tries = 2000)
  void nothing_changes_before_next_change_at_and_something_changes_at_it(
      @ForAll("policies") Policy policy,
      @ForAll("zones") ZoneId zone,
      @ForAll @IntRange(min = 1, max = 400) int lengthDays,
      @ForAll @LongRange(min = 0, max = 600L * 86400) long offset) {
    Instant expires = NOT_BEFORE.plus(Duration.ofDays(lengthDays));
    Instant now = NOT_BEFORE.plusSeconds(offset);
    Standing s = Lifecycle.evaluate(NOT_BEFORE, expires, now, policy, zone);
    if (s.nextChangeAt().isEmpty()) {
      assertThat(s.phase()).isEqualTo(Phase.LOCKED);
      return;
    }
    Instant next = s.nextChangeAt().get();
    assertThat(next).isAfter(now);

    Standing justBefore =
        Lifecycle.evaluate(NOT_BEFORE, expires, next.minusSeconds(1), policy, zone);
    Standing atNext = Lifecycle.evaluate(NOT_BEFORE, expires, next, policy, zone);

    assertThat(visible(justBefore)).isEqualTo(visible(s));
    assertThat(visible(atNext)).isNotEqualTo(visible(s));
  }

  @Property(tries = 1000)
  void next_transition_is_where_the_stage_changes(
      @ForAll("policies") Policy policy,
      @ForAll @IntRange(min = 1, max = 400) int lengthDays,
      @ForAll @LongRange(min = 0, max = 600L * 86400) long offset) {
    Instant expires = NOT_BEFORE.plus(Duration.ofDays(lengthDays));
    Instant now = NOT_BEFORE.plusSeconds(offset);
    Standing s = Lifecycle.evaluate(NOT_BEFORE, expires, now, policy, ZoneId.of("UTC"));
    if (s.nextTransitionAt().isEmpty()) {
      assertThat(s.phase()).isEqualTo(Phase.LOCKED);
      return;
    }
    Instant next = s.nextTransitionAt().get();

    Standing justBefore =
        Lifecycle.evaluate(NOT_BEFORE, expires, next.minusSeconds(1), policy, ZoneId.of("UTC"));
    Standing atNext = Lifecycle.evaluate(NOT_BEFORE, expires, next, policy, ZoneId.of("UTC"));

    assertThat(justBefore.stageId()).isEqualTo(s.stageId());
    assertThat(atNext.stageId()).isNotEqualTo(s.stageId());
  }

  /**
   * Everything a viewer can see or a client acts on; the next-change instants themselves excluded.
   */
  private static String visible(Standing s) {
    return s.phase()
        + "|"
        + s.stageId()
        + "|"
        + s.daysUntilExpiry()
        + "|"
        + s.daysUntilLock()
        + "|"
        + s.banner()
        + "|"
        + s.mode();
  }
}
