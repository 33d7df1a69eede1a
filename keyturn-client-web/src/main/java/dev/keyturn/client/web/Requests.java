package dev.keyturn.client.web;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** What the handlers ask of every request: HTML or JSON, and where "back" safely is. */
final class Requests {
  static final Set<String> CHANGING_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

  /** Styles, scripts, images and fonts: what a page needs to render, never the product's data. */
  static final Set<String> STATIC_ASSET_EXTENSIONS =
      Set.of(
          "css", "js", "mjs", "map", "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "woff",
          "woff2", "ttf", "otf");

  private Requests() {}

  /** A GET or HEAD of a static file a page needs (by extension), which no mode ever gates. */
  static boolean isStaticAsset(WebRequest r) {
    if (!r.method().equals("GET") && !r.method().equals("HEAD")) {
      return false;
    }
    String path = r.path();
    String name = path.substring(path.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot > 0
        && STATIC_ASSET_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** A browser navigating (Accept names text/html) gets pages; everything else gets JSON. */
  static boolean wantsHtml(WebRequest r) {
    return r.header("Accept")
        .map(a -> a.toLowerCase(Locale.ROOT).contains("text/html"))
        .orElse(false);
  }

  /**
   * A local path to send the browser back to: {@code candidate} when it is a plain path on this
   * server (never {@code //other.example} or a scheme), else the application's root.
   */
  static String safeLocalPath(Optional<String> candidate, String contextPath) {
    return candidate.filter(Requests::isLocalPath).orElse(contextPath + "/");
  }

  /** The same-origin Referer's path and query, or the application's root. */
  static String backFromReferer(WebRequest r, WebSettings settings) {
    Optional<String> referer = r.header("Referer");
    if (referer.isEmpty() || SameOrigin.check(r, settings).isPresent()) {
      return r.contextPath() + "/";
    }
    try {
      URI uri = URI.create(referer.get().strip());
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      String back = path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      return isLocalPath(back) ? back : r.contextPath() + "/";
    } catch (IllegalArgumentException e) {
      return r.contextPath() + "/";
    }
  }

  private static boolean isLocalPath(String p) {
    return p.startsWith("/")
        && !p.startsWith("//")
        && p.length() <= 2048
        && p.chars().noneMatch(c -> c == '\\' || c < 0x20 || c == 0x7f);
  }
}
