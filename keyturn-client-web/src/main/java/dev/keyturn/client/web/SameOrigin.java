package dev.keyturn.client.web;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * The cross-site request guard for the license routes that change something (install, dismiss,
 * renewal request): the request must say where it comes from ({@code Origin}, else {@code
 * Referer}), and that must be this server's own host or an allowed origin. Every current browser
 * sends {@code Origin} with a POST, so a page on another site cannot drive these routes with the
 * user's cookies; a script without a browser adds the header itself ({@code -H 'Origin: …'}).
 */
final class SameOrigin {
  private SameOrigin() {}

  /** Empty when allowed, else why not. */
  static Optional<String> check(WebRequest request, WebSettings settings) {
    Optional<String> host = request.header("Host").map(SameOrigin::normalizeHostHeader);
    Optional<String> origin = request.header("Origin");
    String claimed;
    if (origin.isPresent()) {
      claimed = origin.get().strip();
    } else if (request.header("Referer").isPresent()) {
      claimed = originOf(request.header("Referer").get()).orElse("");
    } else {
      return Optional.of(
          "the request has neither an Origin nor a Referer header, so it cannot be told apart from"
              + " a forged cross-site request; send 'Origin: <this server's scheme://host:port>'");
    }
    Optional<String> authority = authorityOf(claimed);
    if (authority.isPresent() && host.isPresent() && authority.get().equals(host.get())) {
      return Optional.empty();
    }
    String normalized = claimed.toLowerCase(Locale.ROOT);
    for (String allowed : settings.allowedOrigins()) {
      if (allowed.toLowerCase(Locale.ROOT).equals(normalized)) {
        return Optional.empty();
      }
    }
    return Optional.of(
        "the request comes from "
            + (claimed.isEmpty() ? "an unknown origin" : "'" + claimed + "'")
            + ", not from this server ("
            + host.orElse("no Host header")
            + "); pages of other sites may not change the license");
  }

  /** {@code scheme://host[:port]} of a URL, empty when it is not an http(s) URL. */
  static Optional<String> originOf(String url) {
    try {
      URI uri = URI.create(url.strip());
      if (uri.getScheme() == null || uri.getHost() == null) {
        return Optional.empty();
      }
      return Optional.of(
          uri.getScheme()
              + "://"
              + uri.getHost()
              + (uri.getPort() == -1 ? "" : ":" + uri.getPort()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** {@code host[:port]} of an origin, lower case, without the scheme's default port. */
  private static Optional<String> authorityOf(String origin) {
    try {
      URI uri = URI.create(origin);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        return Optional.empty();
      }
      int port = uri.getPort();
      boolean defaultPort =
          port == -1
              || (scheme.equals("http") && port == 80)
              || (scheme.equals("https") && port == 443);
      return Optional.of(uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * The Host header as an authority to compare with: lower case, without {@code :80} or {@code
   * :443} (the header does not say which scheme, and browsers leave default ports out of Origin).
   */
  private static String normalizeHostHeader(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.endsWith(":80")) {
      return h.substring(0, h.length() - 3);
    }
    if (h.endsWith(":443")) {
      return h.substring(0, h.length() - 4);
    }
    return h;
  }
}
