package dev.keyturn.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.TestLicenses;
import dev.keyturn.core.license.GraceMode;
import dev.keyturn.core.license.License;
import dev.keyturn.core.license.LicensePolicy;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** docs/design.md §4, the subscription preset: monthly self-serve, expires 2027-01-15T12:00:00Z. */
class SubscriptionScenarioTest {
  private final License license =
      TestLicenses.acme()
          .notBefore(Instant.parse("2026-12-15T12:00:00Z"))
          .expiresAt(Instant.parse("2027-01-15T12:00:00Z"))
          .policy(new LicensePolicy("subscription", 7, GraceMode.READ_ONLY))
          .build();
  private final Policy policy = Policy.forLicense(license.policy());

  private Standing at(String instant) {
    return Lifecycle.evaluate(license, Instant.parse(instant), policy);
  }

  @Test
  void the_license_policy_is_the_subscription_preset() {
    assertThat(policy).isEqualTo(Policy.SUBSCRIPTION);
    assertThat(policy.stages())
        .extracting(Stage::id)
        .containsExactly("D-30", "D-7", "D-1", "EXPIRY", "LOCK");
  }

  @Test
  void d30_info_then_no_d15_then_d7_pill_then_d1_danger() {
    assertThat(at("2026-12-16T12:00:00Z").banner().level()).isEqualTo(BannerLevel.INFO);
    Standing d16 = at("2026-12-31T12:00:00Z");
    assertThat(d16.stageId()).isEqualTo("D-30");
    assertThat(d16.banner().dismissal()).isEqualTo(Dismissal.UNTIL_NEXT_STAGE);
    Standing d7 = at("2027-01-08T12:00:00Z");
    assertThat(d7.stageId()).isEqualTo("D-7");
    assertThat(d7.banner().dismissal()).isEqualTo(Dismissal.TO_PILL);
    Standing d1 = at("2027-01-14T12:00:00Z");
    assertThat(d1.banner().level()).isEqualTo(BannerLevel.DANGER);
    assertThat(d1.banner().dismissal()).isEqualTo(Dismissal.NOT_DISMISSIBLE);
  }

  @Test
  void seven_days_of_read_only_grace_then_suspended() {
    Standing grace = at("2027-01-15T12:00:00Z");
    assertThat(grace.phase()).isEqualTo(Phase.GRACE);
    assertThat(grace.mode()).isEqualTo(Mode.READ_ONLY);
    assertThat(grace.daysUntilLock()).isEqualTo(7);
    assertThat(grace.banner().text())
        .isEqualTo(
            "Your license expired on 15 Jan 2027, 12:00 UTC. The product is read-only:"
                + " 7 days remaining before suspension. Renew to resume full use.");

    Standing suspended = at("2027-01-22T12:00:00Z");
    assertThat(suspended.phase()).isEqualTo(Phase.LOCKED);
    assertThat(suspended.mode()).isEqualTo(Mode.LOCKED);
    assertThat(suspended.banner().text()).contains("the product is suspended");
  }
}
