package dev.keyturn.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.keyturn.core.license.GraceMode;
import dev.keyturn.core.license.LicensePolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PolicyTest {
  @Test
  void appliance_preset_is_the_table_of_the_design() {
    assertThat(Policy.APPLIANCE.stages())
        .extracting(Stage::id, Stage::offset, Stage::phase, Stage::level, Stage::dismissal)
        .containsExactly(
            tuple(
                "D-30",
                Duration.ofDays(-30),
                Phase.EXPIRING,
                BannerLevel.INFO,
                Dismissal.UNTIL_NEXT_STAGE),
            tuple(
                "D-15",
                Duration.ofDays(-15),
                Phase.EXPIRING,
                BannerLevel.WARNING,
                Dismissal.FOR_24H),
            tuple(
                "D-7", Duration.ofDays(-7), Phase.EXPIRING, BannerLevel.WARNING, Dismissal.TO_PILL),
            tuple(
                "D-1",
                Duration.ofDays(-1),
                Phase.EXPIRING,
                BannerLevel.DANGER,
                Dismissal.NOT_DISMISSIBLE),
            tuple(
                "EXPIRY",
                Duration.ZERO,
                Phase.GRACE,
                BannerLevel.DANGER,
                Dismissal.NOT_DISMISSIBLE),
            tuple(
                "LOCK",
                Duration.ofDays(60),
                Phase.LOCKED,
                BannerLevel.LOCK,
                Dismissal.NOT_DISMISSIBLE));
    assertThat(Policy.APPLIANCE.graceMode()).isEqualTo(GraceMode.FULL);
    assertThat(Policy.APPLIANCE.lockAction()).isEqualTo(LockAction.LOCK);
  }

  @Test
  void subscription_preset_is_seven_days_read_only_then_suspend() {
    assertThat(Policy.SUBSCRIPTION.graceDays()).isEqualTo(7);
    assertThat(Policy.SUBSCRIPTION.graceMode()).isEqualTo(GraceMode.READ_ONLY);
    assertThat(Policy.SUBSCRIPTION.lockAction()).isEqualTo(LockAction.SUSPEND);
  }

  @Test
  void custom_policies_are_built_and_validated() {
    Policy early =
        Policy.builder("enterprise")
            .reminder(7, BannerLevel.WARNING, Dismissal.TO_PILL)
            .reminder(90, BannerLevel.INFO, Dismissal.UNTIL_NEXT_STAGE)
            .grace(30, GraceMode.FULL)
            .build();

    assertThat(early.stages())
        .extracting(Stage::id)
        .containsExactly("D-90", "D-7", "EXPIRY", "LOCK");
    assertThatThrownBy(
            () -> Policy.builder("x").reminder(0, BannerLevel.INFO, Dismissal.FOR_24H).build())
        .hasMessageContaining("1 to 365 days");
    assertThatThrownBy(() -> Policy.builder("x").grace(-1, GraceMode.FULL).build())
        .hasMessageContaining("grace days must be 0 to 3650");
    assertThatThrownBy(
            () ->
                Policy.builder("x")
                    .reminder(30, BannerLevel.DANGER, Dismissal.NOT_DISMISSIBLE)
                    .reminder(7, BannerLevel.INFO, Dismissal.UNTIL_NEXT_STAGE)
                    .build())
        .hasMessageContaining("reminder D-7 is less insistent than D-30");
    assertThatThrownBy(
            () ->
                Policy.builder("x")
                    .reminder(7, BannerLevel.INFO, Dismissal.FOR_24H)
                    .reminder(7, BannerLevel.INFO, Dismissal.FOR_24H)
                    .build())
        .hasMessageContaining("two reminders at D-7");
  }

  @Test
  void a_license_policy_keeps_its_preset_and_signed_grace() {
    Policy p = Policy.forLicense(new LicensePolicy("appliance", 30, GraceMode.READ_ONLY));

    assertThat(p.name()).isEqualTo("appliance");
    assertThat(p.graceDays()).isEqualTo(30);
    assertThat(p.graceMode()).isEqualTo(GraceMode.READ_ONLY);
    assertThat(p.stage("LOCK"))
        .hasValueSatisfying(s -> assertThat(s.offset()).isEqualTo(Duration.ofDays(30)));
    assertThat(Policy.forLicense(new LicensePolicy("appliance", 60, GraceMode.FULL)))
        .isSameAs(Policy.APPLIANCE);
  }
}
