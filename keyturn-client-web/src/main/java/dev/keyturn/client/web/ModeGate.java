package dev.keyturn.client.web;

import dev.keyturn.client.ClientStanding;
import dev.keyturn.client.LicenseManager;
import dev.keyturn.core.lifecycle.Mode;
import java.util.Optional;

/**
 * Enforces the mode on the product's routes. FULL: everything passes. READ_ONLY: reads pass, every
 * change (POST, PUT, PATCH, DELETE) is refused with 403 and an explanation. LOCKED: every route
 * answers with the lock screen (423), except the static files a page needs ({@link
 * Requests#isStaticAsset}), so the lock screen and the product's own pages keep their styling. The
 * product's data is never touched: refused requests never reach it. The decision reads only the
 * manager's hot-path snapshot; the standing (which reads the state directory) is fetched only to
 * explain a refusal.
 */
final class ModeGate {
  private final LicenseManager licenses;
  private final WebSettings settings;
  private final Pages pages;

  ModeGate(LicenseManager licenses, WebSettings settings, Pages pages) {
    this.licenses = licenses;
    this.settings = settings;
    this.pages = pages;
  }

  Optional<WebResponse> check(WebRequest r) {
    Mode mode = licenses.mode();
    if (mode == Mode.FULL || settings.isExempt(r.path()) || Requests.isStaticAsset(r)) {
      return Optional.empty();
    }
    if (mode == Mode.READ_ONLY) {
      return Requests.CHANGING_METHODS.contains(r.method())
          ? Optional.of(readOnly(r))
          : Optional.empty();
    }
    return Optional.of(locked(r));
  }

  private WebResponse readOnly(WebRequest r) {
    ClientStanding s = licenses.standing();
    if (Requests.wantsHtml(r)) {
      return WebResponse.html(
          WebError.READ_ONLY.status(),
          pages.readOnly(s, r.contextPath(), Requests.backFromReferer(r, settings)));
    }
    return Problem.of(
            WebError.READ_ONLY,
            s.banner().text()
                + " This change was not saved; reading keeps working, and nothing stored was"
                + " changed.")
        .toJson();
  }

  private WebResponse locked(WebRequest r) {
    ClientStanding s = licenses.standing();
    if (Requests.wantsHtml(r)) {
      String returnTo =
          r.method().equals("GET") || r.method().equals("HEAD")
              ? r.contextPath() + r.path()
              : Requests.backFromReferer(r, settings);
      return WebResponse.html(
          WebError.LOCKED.status(), pages.lock(s, r.contextPath(), returnTo, Optional.empty()));
    }
    return Problem.of(
            WebError.LOCKED,
            s.banner().text()
                + " Install a license at "
                + r.contextPath()
                + settings.basePath()
                + "/install.")
        .toJson();
  }
}
