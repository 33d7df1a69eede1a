package dev.keyturn.core.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.core.TestLicenses;
import dev.keyturn.core.license.License;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageTest {
  private final License tenPercent = TestLicenses.acme().overagePercent("users", 10).build();
  private final License noAllowance = TestLicenses.acme().build();

  @Test
  void usage_at_the_limit_is_within_and_shows_nothing() {
    UsageStanding s = Usage.evaluate(tenPercent, Map.of("users", 250L, "devices", 10L));

    assertThat(s.level()).isEqualTo(UsageLevel.WITHIN);
    assertThat(s.banner()).isEqualTo(Banner.NONE);
    assertThat(s.limits()).extracting(LimitUsage::limit).containsExactly("devices", "users");
  }

  @Test
  void above_the_limit_within_the_allowance_warns_naming_limit_usage_and_allowance() {
    LimitUsage users = Usage.evaluate(tenPercent, Map.of("users", 251L)).of("users").orElseThrow();

    assertThat(users.level()).isEqualTo(UsageLevel.OVER_LIMIT);
    assertThat(users.ceiling()).isEqualTo(275);
    assertThat(users.text())
        .isEqualTo(
            "users: 251 in use, above the licensed 250; the 10% overage allowance permits up to"
                + " 275. Ask your vendor to raise the limit.");
    assertThat(Usage.evaluate(tenPercent, Map.of("users", 275L)).level())
        .isEqualTo(UsageLevel.OVER_LIMIT);
    assertThat(Usage.evaluate(tenPercent, Map.of("users", 275L)).banner().level())
        .isEqualTo(BannerLevel.WARNING);
  }

  @Test
  void above_the_allowance_is_a_danger_banner_that_locks_nothing() {
    UsageStanding s = Usage.evaluate(tenPercent, Map.of("users", 276L, "devices", 6000L));

    assertThat(s.level()).isEqualTo(UsageLevel.OVER_ALLOWANCE);
    assertThat(s.banner().level()).isEqualTo(BannerLevel.DANGER);
    assertThat(s.banner().dismissal()).isEqualTo(Dismissal.NOT_DISMISSIBLE);
    assertThat(s.banner().text())
        .isEqualTo(
            "devices: 6000 in use, above the licensed 5000. Adding more is refused until usage is"
                + " reduced or the limit raised; nothing has been locked or removed. users: 276 in"
                + " use, above the licensed 250 and its 10% overage allowance (275). Adding more is"
                + " refused until usage is reduced or the limit raised; nothing has been locked or"
                + " removed.");
  }

  @Test
  void a_license_without_allowance_keeps_todays_meaning_over_the_limit_is_over_the_allowance() {
    assertThat(Usage.evaluate(noAllowance, Map.of("users", 251L)).level())
        .isEqualTo(UsageLevel.OVER_ALLOWANCE);
    assertThat(Usage.increase(noAllowance, "users", 250, 1).allowed()).isFalse();
    assertThat(Usage.increase(noAllowance, "users", 249, 1).allowed()).isTrue();
  }

  @Test
  void only_what_raises_usage_past_the_ceiling_is_refused() {
    assertThat(Usage.increase(tenPercent, "users", 260, 15).allowed()).isTrue();
    UsageDecision refused = Usage.increase(tenPercent, "users", 260, 16);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.after()).isEqualTo(276);
    assertThat(refused.message())
        .isEqualTo(
            "Adding 16 to users would bring it to 276, above the licensed 250 and its 10% overage"
                + " allowance (275). Reduce users first, or ask your vendor to raise the limit.");
    assertThat(Usage.increase(tenPercent, "users", 300, 0).allowed()).isTrue();
    assertThat(Usage.increase(tenPercent, "cpus", 1_000_000, 1).allowed()).isTrue();
  }

  @Test
  void seats_count_as_a_limit_and_unset_limits_are_never_exceeded() {
    License seats = TestLicenses.acme().overagePercent("seats", 20).build();
    assertThat(Usage.evaluate(seats, Map.of("seats", 300L, "cpus", 9L)).limits())
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.ceiling()).isEqualTo(300);
              assertThat(l.level()).isEqualTo(UsageLevel.OVER_LIMIT);
            });
    License unlimitedSeats = TestLicenses.acme().seats(0).build();
    assertThat(Usage.evaluate(unlimitedSeats, Map.of("seats", 99_999L)).limits()).isEmpty();
  }

  @Test
  void the_allowance_rounds_down_and_never_overflows() {
    assertThat(Usage.ceiling(5, 10)).isEqualTo(5);
    assertThat(Usage.ceiling(19, 10)).isEqualTo(20);
    assertThat(Usage.ceiling(0, 1000)).isZero();
    assertThat(Usage.ceiling(Long.MAX_VALUE / 2, 1000)).isEqualTo(Long.MAX_VALUE);
    assertThat(Usage.increase(tenPercent, "users", Long.MAX_VALUE, 5).allowed()).isFalse();
  }

  @Test
  void negative_usage_is_refused() {
    assertThatThrownBy(() -> Usage.evaluate(tenPercent, Map.of("users", -1L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("usage of users must not be negative, was -1");
    assertThatThrownBy(() -> Usage.increase(tenPercent, "users", 1, -1))
        .hasMessage("the increase of users must not be negative, was -1");
  }
}
