package dev.keyturn.client;

import dev.keyturn.core.lifecycle.BannerLevel;
import dev.keyturn.core.lifecycle.Dismissal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The banner as the product should render it: the lifecycle banner of the current stage (or the
 * client's own, for flags such as a clock rollback) and whether the user's dismissal hides it.
 *
 * @param dismissal what {@link LicenseManager#dismiss()} would do now
 * @param hiddenUntil when a dismissed 24-hour banner comes back
 * @param pillText the short countdown for {@link BannerDisplay#PILL}, else empty
 * @param stageId the stage the banner belongs to ({@code D-30}, …), empty when none
 */
public record BannerView(
    BannerLevel level,
    Dismissal dismissal,
    String text,
    BannerDisplay display,
    Optional<Instant> hiddenUntil,
    String pillText,
    String stageId) {

  public static final BannerView NONE =
      new BannerView(
          BannerLevel.NONE, Dismissal.NONE, "", BannerDisplay.NONE, Optional.empty(), "", "");

  public BannerView {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(dismissal, "dismissal");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(display, "display");
    Objects.requireNonNull(hiddenUntil, "hiddenUntil");
    Objects.requireNonNull(pillText, "pillText");
    Objects.requireNonNull(stageId, "stageId");
  }

  /** Whether the full banner is on screen. */
  public boolean visible() {
    return display == BannerDisplay.SHOWN;
  }
}
