package dev.keyturn.client;

import static dev.keyturn.client.Fixtures.EXPIRES;
import static dev.keyturn.client.Fixtures.MID_YEAR;
import static dev.keyturn.client.Fixtures.acme;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.lifecycle.BannerLevel;
import dev.keyturn.core.lifecycle.Dismissal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/design.md §4's dismissal rules as dated scenarios, each across a restart (a new manager over
 * the same state directory) on a settable clock.
 */
class BannerDismissalTest {
  static final Instant D30 = EXPIRES.minus(Duration.ofDays(30));
  static final Instant D15 = EXPIRES.minus(Duration.ofDays(15));
  static final Instant D7 = EXPIRES.minus(Duration.ofDays(7));
  static final Instant D1 = EXPIRES.minus(Duration.ofDays(1));

  @TempDir Path dir;
  final Fixtures.Keys keys = Fixtures.keys("2026-a");
  final SettableClock clock = new SettableClock(MID_YEAR);

  @BeforeEach
  void installed() {
    session(m -> m.install(keys.sign(acme().build())));
  }

  /** One run of the product: start, act, stop. */
  void session(Consumer<LicenseManager> action) {
    try (LicenseManager m = Fixtures.manager(dir, keys, clock).build()) {
      action.accept(m);
    }
  }

  BannerView bannerAt(Instant at) {
    clock.set(at);
    BannerView[] out = new BannerView[1];
    session(m -> out[0] = m.standing().banner());
    return out[0];
  }

  DismissResult dismissAt(Instant at) {
    clock.set(at);
    DismissResult[] out = new DismissResult[1];
    session(m -> out[0] = m.dismiss());
    return out[0];
  }

  @Test
  void nothing_to_dismiss_while_active() {
    DismissResult r = dismissAt(MID_YEAR);
    assertThat(r.outcome()).isEqualTo(DismissResult.Outcome.NOTHING_TO_DISMISS);
    assertThat(r.banner().display()).isEqualTo(BannerDisplay.NONE);
  }

  @Test
  void d30_stays_dismissed_across_restarts_until_the_next_stage() {
    BannerView shown = bannerAt(D30.plus(Duration.ofHours(1)));
    assertThat(shown.level()).isEqualTo(BannerLevel.INFO);
    assertThat(shown.display()).isEqualTo(BannerDisplay.SHOWN);
    assertThat(shown.text()).contains("expires in 30 days");

    DismissResult r = dismissAt(D30.plus(Duration.ofHours(2)));
    assertThat(r.outcome()).isEqualTo(DismissResult.Outcome.HIDDEN);
    assertThat(r.banner().display()).isEqualTo(BannerDisplay.HIDDEN);
    assertThat(r.banner().hiddenUntil()).contains(D15);

    assertThat(bannerAt(D30.plus(Duration.ofDays(10))).display()).isEqualTo(BannerDisplay.HIDDEN);
    BannerView atD15 = bannerAt(D15.plus(Duration.ofMinutes(1)));
    assertThat(atD15.display()).isEqualTo(BannerDisplay.SHOWN);
    assertThat(atD15.level()).isEqualTo(BannerLevel.WARNING);
  }

  @Test
  void d15_comes_back_24_hours_after_it_was_dismissed() {
    Instant dismissedAt = D15.plus(Duration.ofHours(3));
    DismissResult r = dismissAt(dismissedAt);
    assertThat(r.outcome()).isEqualTo(DismissResult.Outcome.HIDDEN);
    assertThat(r.banner().hiddenUntil()).contains(dismissedAt.plus(Duration.ofHours(24)));

    assertThat(bannerAt(dismissedAt.plus(Duration.ofHours(23))).display())
        .isEqualTo(BannerDisplay.HIDDEN);
    assertThat(bannerAt(dismissedAt.plus(Duration.ofHours(24))).display())
        .isEqualTo(BannerDisplay.SHOWN);
  }

  @Test
  void d15_reappears_on_a_running_product_at_the_24_hour_mark() {
    clock.set(D15.plus(Duration.ofHours(3)));
    session(
        m -> {
          m.dismiss();
          ClientStanding hidden = m.standing();
          assertThat(hidden.banner().hiddenUntil()).contains(D15.plus(Duration.ofHours(27)));

          clock.advance(Duration.ofHours(23));
          assertThat(m.standing().banner().display()).isEqualTo(BannerDisplay.HIDDEN);

          clock.advance(Duration.ofHours(1));
          assertThat(m.standing().banner().display()).isEqualTo(BannerDisplay.SHOWN);
        });
  }

  @Test
  void d7_collapses_into_a_pill_with_a_countdown_that_survives_restarts() {
    DismissResult r = dismissAt(D7.plus(Duration.ofHours(1)));
    assertThat(r.outcome()).isEqualTo(DismissResult.Outcome.COLLAPSED_TO_PILL);
    assertThat(r.banner().display()).isEqualTo(BannerDisplay.PILL);
    assertThat(r.banner().pillText()).isEqualTo("Expires in 7 days");

    BannerView later = bannerAt(D7.plus(Duration.ofDays(3)));
    assertThat(later.display()).isEqualTo(BannerDisplay.PILL);
    assertThat(later.pillText()).isEqualTo("Expires in 4 days");
    assertThat(later.dismissal()).isEqualTo(Dismissal.TO_PILL);
  }

  @Test
  void d1_and_grace_banners_cannot_be_dismissed() {
    DismissResult atD1 = dismissAt(D1.plus(Duration.ofHours(1)));
    assertThat(atD1.outcome()).isEqualTo(DismissResult.Outcome.NOT_DISMISSIBLE);
    assertThat(atD1.banner().display()).isEqualTo(BannerDisplay.SHOWN);
    assertThat(atD1.banner().level()).isEqualTo(BannerLevel.DANGER);

    DismissResult inGrace = dismissAt(EXPIRES.plus(Duration.ofDays(2)));
    assertThat(inGrace.outcome()).isEqualTo(DismissResult.Outcome.NOT_DISMISSIBLE);
    assertThat(inGrace.banner().text()).contains("remaining before lock");
  }

  @Test
  void a_dismissal_belongs_to_its_license_so_a_renewal_starts_fresh() {
    dismissAt(D30.plus(Duration.ofHours(1)));
    // A renewal with the same dates but another id: the dismissal of the old one does not apply.
    session(m -> m.install(keys.sign(acme().id("lic_same_dates").issuedAt(D30).build())));
    assertThat(bannerAt(D30.plus(Duration.ofHours(2))).display()).isEqualTo(BannerDisplay.SHOWN);
  }
}
