package dev.keyturn.client;

import static dev.keyturn.client.Fixtures.EXPIRES;
import static dev.keyturn.client.Fixtures.MID_YEAR;
import static dev.keyturn.client.Fixtures.acme;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.client.audit.AuditEntry;
import dev.keyturn.core.VerificationCode;
import dev.keyturn.core.lifecycle.Dismissal;
import dev.keyturn.core.lifecycle.Mode;
import dev.keyturn.core.lifecycle.Phase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dated scenarios: the license is in grace, and someone turns the clock back to when it was not.
 */
class ClockRollbackTest {
  static final Instant IN_GRACE = EXPIRES.plus(Duration.ofDays(5));

  @TempDir Path dir;
  final Fixtures.Keys keys = Fixtures.keys("2026-a");
  final SettableClock clock = new SettableClock(MID_YEAR);

  LicenseManager manager() {
    return Fixtures.manager(dir, keys, clock).build();
  }

  /** Installs at mid-year, lets time pass into grace. */
  LicenseManager inGrace() {
    LicenseManager m = manager();
    m.install(keys.sign(acme().build()));
    clock.advance(Duration.between(MID_YEAR, IN_GRACE));
    m.refresh();
    assertThat(m.standing().phase()).isEqualTo(Phase.GRACE);
    return m;
  }

  @Test
  void turning_the_clock_back_beyond_tolerance_is_flagged_audited_and_never_extends_the_license() {
    try (LicenseManager m = inGrace()) {
      clock.set(MID_YEAR);
      ClientStanding s = m.standing();

      assertThat(s.has(StandingFlag.CLOCK_ROLLBACK)).isTrue();
      assertThat(s.phase()).isEqualTo(Phase.GRACE);
      assertThat(s.evaluatedAt()).isEqualTo(IN_GRACE);
      assertThat(s.clockTime()).isEqualTo(MID_YEAR);
      assertThat(s.banner().text())
          .contains("The system clock says 1 Mar 2027")
          .contains("Licensing continues from that time")
          .contains("Your license expired on 22 Nov 2027");
      assertThat(s.banner().dismissal()).isEqualTo(Dismissal.NOT_DISMISSIBLE);
      m.standing(); // asked again: still one audit entry for this rollback
      assertThat(events(m, "clock_rollback")).hasSize(1);
      assertThat(events(m, "clock_rollback").get(0).data())
          .containsEntry("clock", MID_YEAR.toString())
          .containsEntry("high_water", IN_GRACE.toString());
    }
  }

  @Test
  void a_clock_behind_within_tolerance_is_not_flagged_but_still_cannot_go_back() {
    try (LicenseManager m = inGrace()) {
      clock.set(IN_GRACE.minus(Duration.ofMinutes(30)));
      ClientStanding s = m.standing();

      assertThat(s.flags()).doesNotContain(StandingFlag.CLOCK_ROLLBACK);
      assertThat(s.evaluatedAt()).isEqualTo(IN_GRACE);
      assertThat(events(m, "clock_rollback")).isEmpty();
    }
  }

  @Test
  void licensing_time_keeps_flowing_while_the_clock_is_held_back() {
    try (LicenseManager m = inGrace()) {
      clock.set(MID_YEAR);
      m.refresh();
      // Two months pass for real while the wall clock still claims spring.
      clock.advance(Duration.ofDays(60));
      m.refresh();

      assertThat(m.mode()).isEqualTo(Mode.LOCKED);
      assertThat(m.standing().has(StandingFlag.CLOCK_ROLLBACK)).isTrue();
    }
  }

  @Test
  void a_rollback_across_a_restart_is_caught_from_the_persisted_high_water_mark() {
    try (LicenseManager m = inGrace()) {
      m.standing();
    }
    clock.set(MID_YEAR);
    try (LicenseManager m = manager()) {
      ClientStanding s = m.standing();

      assertThat(s.has(StandingFlag.CLOCK_ROLLBACK)).isTrue();
      assertThat(s.phase()).isEqualTo(Phase.GRACE);
      assertThat(s.evaluatedAt()).isAfterOrEqualTo(IN_GRACE);
      assertThat(events(m, "clock_rollback")).hasSize(1);
    }
  }

  @Test
  void correcting_the_clock_clears_the_flag_and_is_audited() {
    try (LicenseManager m = inGrace()) {
      clock.set(MID_YEAR);
      m.refresh();
      clock.set(IN_GRACE.plus(Duration.ofMinutes(5)));
      ClientStanding s = m.standing();

      assertThat(s.flags()).doesNotContain(StandingFlag.CLOCK_ROLLBACK);
      assertThat(s.evaluatedAt()).isEqualTo(IN_GRACE.plus(Duration.ofMinutes(5)));
      assertThat(events(m, "clock_restored")).hasSize(1);
    }
  }

  @Test
  void a_rolled_back_clock_cannot_install_an_expired_license() {
    try (LicenseManager m = inGrace()) {
      clock.set(MID_YEAR);
      InstallResult r = m.install(keys.sign(acme().id("lic_again").build()));

      assertThat(r.code()).isEqualTo(VerificationCode.EXPIRED);
    }
  }

  static List<AuditEntry> events(LicenseManager m, String event) {
    return m.auditLog().entries().stream().filter(e -> e.event().equals(event)).toList();
  }
}
