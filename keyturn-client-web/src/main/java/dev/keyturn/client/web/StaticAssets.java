package dev.keyturn.client.web;

import java.util.Locale;
import java.util.Set;

/**
 * The files a page needs in order to render (stylesheets, scripts, images, fonts): the mode gate
 * never refuses them, so the lock screen, the read-only page and exempt pages such as a demo's keep
 * the product's look while it is locked. The rule: a {@code GET} or {@code HEAD} whose path ends in
 * one of {@link #EXTENSIONS}. These are meant to be the product's presentation, not its data: a
 * product that serves data under such names (uploaded images, say) lets those through as well.
 */
final class StaticAssets {
  /** Stylesheets, scripts, images and fonts; never HTML, JSON or anything else a route returns. */
  static final Set<String> EXTENSIONS =
      Set.of(
          "css", "js", "mjs", "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico", "woff",
          "woff2", "ttf", "otf");

  private StaticAssets() {}

  static boolean isAsset(WebRequest r) {
    if (!(r.method().equals("GET") || r.method().equals("HEAD"))) {
      return false;
    }
    String path = r.path();
    String name = path.substring(path.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }
}
