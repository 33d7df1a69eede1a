package dev.keyturn.client;

/**
 * What {@link LicenseManager#dismiss()} did.
 *
 * @param banner the banner as it is to be shown now
 */
public record DismissResult(Outcome outcome, BannerView banner) {
  public enum Outcome {
    /** Hidden, until the next stage or for 24 hours depending on the stage. */
    HIDDEN,
    /** Collapsed into the header pill; the countdown stays. */
    COLLAPSED_TO_PILL,
    /** This banner cannot be dismissed (D-1 and later, or a flag such as a clock rollback). */
    NOT_DISMISSIBLE,
    /** There is no banner. */
    NOTHING_TO_DISMISS
  }
}
