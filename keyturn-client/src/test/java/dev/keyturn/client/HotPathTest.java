package dev.keyturn.client;

import static dev.keyturn.client.Fixtures.EXPIRES;
import static dev.keyturn.client.Fixtures.MID_YEAR;
import static dev.keyturn.client.Fixtures.acme;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.core.license.GraceMode;
import dev.keyturn.core.license.LicensePolicy;
import dev.keyturn.core.lifecycle.Mode;
import dev.keyturn.core.lifecycle.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HotPathTest {
  @TempDir Path dir;
  final Fixtures.Keys keys = Fixtures.keys("2026-a");
  final SettableClock clock = new SettableClock(MID_YEAR);

  @Test
  void features_limits_and_mode_come_from_the_license_in_force() {
    try (LicenseManager m = Fixtures.manager(dir, keys, clock).build()) {
      m.install(keys.sign(acme().limit("projects", 0).build()));

      assertThat(m.mode()).isEqualTo(Mode.FULL);
      assertThat(m.allows("sso")).isTrue();
      assertThat(m.allows("white-label")).isFalse();
      assertThat(m.allows(null)).isFalse();
      assertThat(m.limit("users")).isEqualTo(250);
      assertThat(m.limit("projects")).isZero();
      assertThat(m.limit("seats")).isEqualTo(250);
      assertThat(m.limit("storage-gb")).isEqualTo(LicenseManager.UNLIMITED);
    }
  }

  @Test
  void zero_seats_means_unlimited() {
    try (LicenseManager m = Fixtures.manager(dir, keys, clock).build()) {
      m.install(keys.sign(acme().seats(0).build()));
      assertThat(m.limit("seats")).isEqualTo(LicenseManager.UNLIMITED);
    }
  }

  @Test
  void nothing_is_granted_without_a_license() {
    try (LicenseManager m = Fixtures.manager(dir, keys, clock).build()) {
      assertThat(m.mode()).isEqualTo(Mode.LOCKED);
      assertThat(m.allows("sso")).isFalse();
      assertThat(m.limit("users")).isZero();
    }
  }

  @Test
  void snapshot_follows_the_license_through_grace_and_lock_on_refresh() {
    try (LicenseManager m = Fixtures.manager(dir, keys, clock).build()) {
      m.install(keys.sign(acme().build()));

      clock.advance(Duration.between(MID_YEAR, EXPIRES.plusSeconds(1)));
      m.refresh();
      assertThat(m.standing().phase()).isEqualTo(Phase.GRACE);
      assertThat(m.mode()).isEqualTo(Mode.FULL);
      assertThat(m.allows("sso")).isTrue();

      clock.advance(Duration.ofDays(60));
      m.refresh();
      assertThat(m.mode()).isEqualTo(Mode.LOCKED);
      assertThat(m.allows("sso")).isFalse();
      assertThat(m.limit("users")).isEqualTo(250); // limits stay readable; mode is the gate
    }
  }

  @Test
  void a_read_only_grace_policy_gives_read_only_mode() {
    try (LicenseManager m = Fixtures.manager(dir, keys, clock).build()) {
      m.install(
          keys.sign(
              acme().policy(new LicensePolicy("subscription", 7, GraceMode.READ_ONLY)).build()));
      clock.advance(Duration.between(MID_YEAR, EXPIRES.plus(Duration.ofDays(3))));
      m.refresh();

      assertThat(m.mode()).isEqualTo(Mode.READ_ONLY);
      assertThat(m.allows("sso")).isTrue();
      assertThat(m.standing().banner().text()).contains("read-only");
    }
  }

  @Test
  void the_summary_reads_like_a_status_line_through_the_whole_life() {
    // In Tokyo the license expires at 09:00 on 22 Nov, so its last day has a "tomorrow" and a
    // "today".
    try (LicenseManager m =
        Fixtures.manager(dir, keys, clock).zone(ZoneId.of("Asia/Tokyo")).build()) {
      assertThat(m.standing().summary()).isEqualTo("no license");
      m.install(keys.sign(acme().build()));
      assertThat(m.standing().summary()).isEqualTo("active");
      clock.set(EXPIRES.minus(Duration.ofDays(12)));
      assertThat(m.standing().summary()).isEqualTo("expires in 12 days");
      clock.set(EXPIRES.minus(Duration.ofHours(20)));
      assertThat(m.standing().summary()).isEqualTo("expires tomorrow");
      clock.set(EXPIRES.minus(Duration.ofHours(2)));
      assertThat(m.standing().summary()).isEqualTo("expires today");
      clock.set(EXPIRES.plus(Duration.ofDays(20)));
      assertThat(m.standing().summary()).isEqualTo("grace: 40 days before lock");
      clock.set(EXPIRES.plus(Duration.ofDays(60)));
      assertThat(m.standing().summary()).isEqualTo("locked");
      clock.set(EXPIRES);
      assertThat(m.standing().summary()).isEqualTo("locked, clock rollback");
    }
  }

  @Test
  void banner_dates_are_written_in_the_configured_zone() {
    try (LicenseManager m =
        Fixtures.manager(dir, keys, clock).zone(ZoneId.of("Asia/Tokyo")).build()) {
      m.install(keys.sign(acme().build()));
      clock.set(EXPIRES.minus(Duration.ofDays(20)));

      assertThat(m.standing().banner().text())
          .isEqualTo(
              "Your license expires in 20 days, on 22 Nov 2027, 09:00 JST."
                  + " Renew it to keep working without interruption.");
    }
  }

  @Test
  void the_snapshot_says_when_it_next_changes() {
    try (LicenseManager m = Fixtures.manager(dir, keys, clock).build()) {
      m.install(keys.sign(acme().build()));
      // ACTIVE until D-30; the day grid anchored at expiry gives the next change at midnight UTC.
      assertThat(m.standing().nextChangeAt()).contains(Instant.parse("2027-03-02T00:00:00Z"));
      assertThat(m.nextRefreshDelay()).isEqualTo(LicenseManager.REFRESH_INTERVAL);

      clock.set(Instant.parse("2027-03-01T23:59:30Z"));
      m.refresh();
      assertThat(m.nextRefreshDelay()).isEqualTo(Duration.ofSeconds(30));

      clock.set(Instant.parse("2027-03-01T23:59:59.990Z"));
      m.refresh();
      assertThat(m.nextRefreshDelay()).isEqualTo(LicenseManager.MIN_REFRESH_DELAY);
    }
  }

  @Test
  void a_read_only_manager_reads_the_same_standing_and_writes_nothing() throws Exception {
    try (LicenseManager m = Fixtures.manager(dir, keys, clock).build()) {
      m.install(keys.sign(acme().build()));
    }
    byte[] state = Files.readAllBytes(dir.resolve("state.json"));
    byte[] audit = Files.readAllBytes(dir.resolve("audit.log"));
    clock.advance(Duration.ofDays(1));
    try (LicenseManager m = Fixtures.manager(dir, keys, clock).readOnly(true).build()) {
      assertThat(m.mode()).isEqualTo(Mode.FULL);
      assertThat(m.standing().license().orElseThrow().id()).isEqualTo("lic_01JD3ACME");
      assertThatThrownBy(() -> m.install("x"))
          .isInstanceOf(ClientException.class)
          .hasMessageContaining("read-only");
    }
    assertThat(Files.readAllBytes(dir.resolve("state.json"))).isEqualTo(state);
    assertThat(Files.readAllBytes(dir.resolve("audit.log"))).isEqualTo(audit);
  }
}
