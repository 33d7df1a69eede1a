package dev.keyturn.client;

/** How the product should show the banner right now, after dismissals. */
public enum BannerDisplay {
  /** No banner. */
  NONE,
  /** The full banner. */
  SHOWN,
  /** Dismissed; it comes back at {@link BannerView#hiddenUntil()} or at the next stage. */
  HIDDEN,
  /** Dismissed into a small pill in the header with a countdown ({@link BannerView#pillText()}). */
  PILL
}
