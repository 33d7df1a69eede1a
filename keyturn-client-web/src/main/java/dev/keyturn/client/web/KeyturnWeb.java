package dev.keyturn.client.web;

import dev.keyturn.client.LicenseManager;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Objects;
import java.util.Optional;

/**
 * The web module without a framework: given a request, either answers it (a license route, or a
 * product route the mode refuses) or returns empty to let the product handle it. {@link
 * KeyturnFilter} is its servlet adapter.
 *
 * <h2>Routes (under {@link WebSettings#basePath()}, default {@code /license})</h2>
 *
 * <table>
 *   <caption>License routes; they work in every mode</caption>
 *   <tr><td>{@code GET /license/standing}</td><td>the standing as JSON ({@code ?tz=Europe/Paris}
 *       writes banner dates in that zone)</td></tr>
 *   <tr><td>{@code POST /license/install}</td><td>paste (form field {@code license}), upload
 *       (multipart {@code file}), JSON {@code {"license": …}} or the raw file</td></tr>
 *   <tr><td>{@code POST /license/banner/dismiss}</td><td>the banner's close button</td></tr>
 *   <tr><td>{@code POST /license/renewal-request}</td><td>"Renew", sent on to the server</td></tr>
 *   <tr><td>{@code POST /license/usage-report}</td><td>download a signed usage report
 *       (docs/usage-report.md)</td></tr>
 *   <tr><td>{@code GET /license/banner.js}, {@code banner.css}</td><td>the banner component</td>
 *   </tr>
 *   <tr><td>{@code GET /license/}</td><td>the license page with the paste box</td></tr>
 * </table>
 *
 * <p>The POST routes refuse requests from other sites ({@link SameOrigin}).
 */
public final class KeyturnWeb {
  private final LicenseManager licenses;
  private final WebSettings settings;
  private final Pages pages;
  private final ModeGate gate;
  private final InstallRoute install;
  private final DismissRoute dismiss;
  private final RenewalRoute renewal;
  private final UsageReportRoute usageReport;
  private final Assets assets = new Assets();

  public KeyturnWeb(LicenseManager licenses, WebSettings settings) {
    this.licenses = Objects.requireNonNull(licenses, "licenses");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.pages = new Pages(settings);
    this.gate = new ModeGate(licenses, settings, pages);
    this.install = new InstallRoute(licenses, settings, pages);
    this.dismiss = new DismissRoute(licenses, settings);
    this.renewal = new RenewalRoute(licenses, settings);
    this.usageReport = new UsageReportRoute(licenses);
  }

  public WebSettings settings() {
    return settings;
  }

  /**
   * The answer, or empty when the product should handle the request.
   *
   * @throws IOException when the request body cannot be read
   */
  public Optional<WebResponse> handle(WebRequest r) throws IOException {
    if (settings.isLicenseRoute(r.path())) {
      try {
        return Optional.of(route(r, r.path().substring(settings.basePath().length())));
      } catch (PayloadTooLargeException e) {
        return Optional.of(refuse(r, WebError.PAYLOAD_TOO_LARGE, e.getMessage()));
      }
    }
    return gate.check(r);
  }

  private WebResponse route(WebRequest r, String sub) throws IOException {
    String method = r.method();
    switch (sub) {
      case "", "/" -> {
        return get(
            r,
            () ->
                WebResponse.html(
                    200, pages.license(licenses.standing(), r.contextPath(), Optional.empty())));
      }
      case "/standing" -> {
        return get(r, () -> standing(r));
      }
      case "/banner.js", "/banner.css" -> {
        return get(r, () -> assets.serve(sub.substring(1), r).orElseThrow());
      }
      case "/install" -> {
        return post(r, () -> install.handle(r));
      }
      case "/banner/dismiss" -> {
        return post(r, () -> dismiss.handle(r));
      }
      case "/renewal-request" -> {
        return post(r, () -> renewal.handle(r));
      }
      case "/usage-report" -> {
        return post(r, usageReport::handle);
      }
      default -> {
        return Problem.of(WebError.NOT_FOUND, "no license route " + settings.basePath() + sub)
            .toJson();
      }
    }
  }

  private WebResponse standing(WebRequest r) {
    Optional<ZoneId> zone =
        r.queryParameter("tz")
            .flatMap(
                tz -> {
                  try {
                    return Optional.of(ZoneId.of(tz));
                  } catch (DateTimeException e) {
                    return Optional.empty(); // the manager's zone, then
                  }
                });
    StandingView view = StandingView.of(licenses.standing(), zone, settings, r.contextPath());
    return WebResponse.json(200, WebResponse.JSON, Json.write(view));
  }

  private interface Handler {
    WebResponse handle() throws IOException;
  }

  private static WebResponse get(WebRequest r, Handler h) throws IOException {
    if (r.method().equals("GET") || r.method().equals("HEAD")) {
      return h.handle();
    }
    return methodNotAllowed("GET");
  }

  private WebResponse post(WebRequest r, Handler h) throws IOException {
    if (!r.method().equals("POST")) {
      return methodNotAllowed("POST");
    }
    Optional<String> crossSite = SameOrigin.check(r, settings);
    if (crossSite.isPresent()) {
      return refuse(r, WebError.CROSS_SITE_REQUEST, "Refused: " + crossSite.get() + ".");
    }
    return h.handle();
  }

  private WebResponse refuse(WebRequest r, WebError error, String detail) {
    if (Requests.wantsHtml(r)) {
      return WebResponse.html(
          error.status(), pages.message(error.title(), detail, r.contextPath()));
    }
    return Problem.of(error, detail).toJson();
  }

  private static WebResponse methodNotAllowed(String allowed) {
    WebResponse p =
        Problem.of(WebError.METHOD_NOT_ALLOWED, "this route answers " + allowed + " only").toJson();
    var headers = new HashMap<>(p.headers());
    headers.put("Allow", allowed.equals("GET") ? "GET, HEAD" : allowed);
    return new WebResponse(p.status(), p.contentType(), headers, p.body());
  }
}
