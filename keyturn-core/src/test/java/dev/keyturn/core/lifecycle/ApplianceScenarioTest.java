package dev.keyturn.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.TestLicenses;
import dev.keyturn.core.license.GraceMode;
import dev.keyturn.core.license.License;
import dev.keyturn.core.license.LicensePolicy;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/**
 * docs/design.md §4, the appliance table, row by row, as a dated scenario. The license expires
 * 2027-11-22T00:00:00Z.
 */
class ApplianceScenarioTest {
  private static final ZoneId SAO_PAULO = ZoneId.of("America/Sao_Paulo");
  private final License license = TestLicenses.acme().build();

  private Standing at(String instant) {
    return Lifecycle.evaluate(license, Instant.parse(instant), Policy.APPLIANCE, SAO_PAULO);
  }

  @Test
  void before_d30_active_without_banner() {
    Standing s = at("2027-10-22T23:59:59Z");

    assertThat(s.phase()).isEqualTo(Phase.ACTIVE);
    assertThat(s.stage()).isEmpty();
    assertThat(s.banner()).isEqualTo(Banner.NONE);
    assertThat(s.mode()).isEqualTo(Mode.FULL);
    assertThat(s.daysUntilExpiry()).isEqualTo(31);
    assertThat(s.nextTransitionAt()).contains(Instant.parse("2027-10-23T00:00:00Z"));
  }

  @Test
  void d30_info_dismissible_until_next_stage() {
    Standing s = at("2027-10-23T00:00:00Z");

    assertThat(s.phase()).isEqualTo(Phase.EXPIRING);
    assertThat(s.stageId()).isEqualTo("D-30");
    assertThat(s.banner().level()).isEqualTo(BannerLevel.INFO);
    assertThat(s.banner().dismissal()).isEqualTo(Dismissal.UNTIL_NEXT_STAGE);
    assertThat(s.banner().text())
        .isEqualTo(
            "Your license expires in 30 days, on 21 Nov 2027, 21:00 BRT."
                + " Renew it to keep working without interruption.");
    assertThat(s.mode()).isEqualTo(Mode.FULL);
  }

  @Test
  void days_left_rounds_up_so_d30_says_30_until_d29() {
    assertThat(at("2027-10-23T00:00:01Z").daysUntilExpiry()).isEqualTo(30);
    assertThat(at("2027-10-23T23:59:59Z").daysUntilExpiry()).isEqualTo(30);
    assertThat(at("2027-10-24T00:00:00Z").daysUntilExpiry()).isEqualTo(29);
  }

  @Test
  void d15_warning_dismissible_for_24_hours() {
    Standing s = at("2027-11-07T00:00:00Z");

    assertThat(s.stageId()).isEqualTo("D-15");
    assertThat(s.banner().level()).isEqualTo(BannerLevel.WARNING);
    assertThat(s.banner().dismissal()).isEqualTo(Dismissal.FOR_24H);
    assertThat(s.daysUntilExpiry()).isEqualTo(15);
  }

  @Test
  void d7_warning_collapses_to_a_pill() {
    Standing s = at("2027-11-15T00:00:00Z");

    assertThat(s.stageId()).isEqualTo("D-7");
    assertThat(s.banner().level()).isEqualTo(BannerLevel.WARNING);
    assertThat(s.banner().dismissal()).isEqualTo(Dismissal.TO_PILL);
  }

  @Test
  void d1_danger_not_dismissible_and_says_tomorrow_or_today_by_the_viewers_clock() {
    Standing s =
        at("2027-11-21T00:00:00Z"); // 20 Nov 21:00 in São Paulo; expiry is 21 Nov 21:00 local

    assertThat(s.stageId()).isEqualTo("D-1");
    assertThat(s.banner().level()).isEqualTo(BannerLevel.DANGER);
    assertThat(s.banner().dismissal()).isEqualTo(Dismissal.NOT_DISMISSIBLE);
    assertThat(s.daysUntilExpiry()).isEqualTo(1);
    assertThat(s.banner().text()).startsWith("Your license expires tomorrow at 21:00 BRT.");
    assertThat(s.nextChangeAt()).contains(Instant.parse("2027-11-21T03:00:00Z")); // local midnight

    Standing afterMidnight = at("2027-11-21T03:00:00Z");
    assertThat(afterMidnight.banner().text())
        .startsWith("Your license expires today at 21:00 BRT.");
    assertThat(afterMidnight.nextChangeAt()).contains(TestLicenses.EXPIRES);

    Standing tokyo =
        Lifecycle.evaluate(
            license,
            Instant.parse("2027-11-21T00:00:00Z"),
            Policy.APPLIANCE,
            ZoneId.of("Asia/Tokyo"));
    assertThat(tokyo.banner().text()).startsWith("Your license expires tomorrow at 09:00 JST.");
  }

  @Test
  void expiry_starts_full_grace_with_days_before_lock() {
    Standing s = at("2027-11-22T00:00:00Z");

    assertThat(s.phase()).isEqualTo(Phase.GRACE);
    assertThat(s.stageId()).isEqualTo(Stage.EXPIRY);
    assertThat(s.banner().level()).isEqualTo(BannerLevel.DANGER);
    assertThat(s.banner().dismissal()).isEqualTo(Dismissal.NOT_DISMISSIBLE);
    assertThat(s.mode()).isEqualTo(Mode.FULL);
    assertThat(s.daysUntilExpiry()).isZero();
    assertThat(s.daysUntilLock()).isEqualTo(60);
    assertThat(s.banner().text())
        .isEqualTo(
            "Your license expired on 21 Nov 2027, 21:00 BRT. 60 days remaining before lock. Renew to keep working.");
    assertThat(at("2028-01-20T00:00:00Z").banner().text())
        .contains(" 1 day remaining before lock.");
  }

  @Test
  void sixty_days_after_expiry_locks_without_further_change() {
    Standing s = at("2028-01-21T00:00:00Z");

    assertThat(s.phase()).isEqualTo(Phase.LOCKED);
    assertThat(s.stageId()).isEqualTo(Stage.LOCK);
    assertThat(s.banner().level()).isEqualTo(BannerLevel.LOCK);
    assertThat(s.mode()).isEqualTo(Mode.LOCKED);
    assertThat(s.daysUntilLock()).isZero();
    assertThat(s.banner().text())
        .contains("the product is locked", "Paste a renewed license", "none of your data");
    assertThat(s.nextChangeAt()).isEmpty();
    assertThat(s.nextTransitionAt()).isEmpty();
    assertThat(at("2028-01-20T23:59:59Z").phase()).isEqualTo(Phase.GRACE);
  }

  @Test
  void before_not_before_the_license_is_not_yet_valid() {
    Standing s = at("2026-11-21T12:00:00Z");

    assertThat(s.phase()).isEqualTo(Phase.NOT_YET_VALID);
    assertThat(s.mode()).isEqualTo(Mode.LOCKED);
    assertThat(s.banner().text())
        .isEqualTo("This license becomes valid on 21 Nov 2026, 21:00 BRT.");
    assertThat(s.nextChangeAt()).contains(TestLicenses.NOT_BEFORE);
  }

  @Test
  void the_signed_grace_of_a_license_overrides_the_preset() {
    License shortGrace =
        TestLicenses.acme().policy(new LicensePolicy("appliance", 10, GraceMode.READ_ONLY)).build();
    Policy policy = Policy.forLicense(shortGrace.policy());

    Standing grace = Lifecycle.evaluate(shortGrace, Instant.parse("2027-11-25T00:00:00Z"), policy);
    assertThat(grace.mode()).isEqualTo(Mode.READ_ONLY);
    assertThat(grace.daysUntilLock()).isEqualTo(7);
    assertThat(
            Lifecycle.evaluate(shortGrace, Instant.parse("2027-12-02T00:00:00Z"), policy).phase())
        .isEqualTo(Phase.LOCKED);
  }
}
