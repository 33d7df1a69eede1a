package dev.keyturn.core.lifecycle;

import java.util.Objects;

/** What the product shows: level (color), how it may be closed, and the text. */
public record Banner(BannerLevel level, Dismissal dismissal, String text) {
  public static final Banner NONE = new Banner(BannerLevel.NONE, Dismissal.NONE, "");

  public Banner {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(dismissal, "dismissal");
    Objects.requireNonNull(text, "text");
  }
}
