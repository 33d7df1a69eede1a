package dev.keyturn.client.web;

import dev.keyturn.client.ClientException;
import dev.keyturn.client.DismissResult;
import dev.keyturn.client.LicenseManager;
import java.util.Optional;

/**
 * {@code POST /license/banner/dismiss}: the banner's close button. The manager applies the stage's
 * rule (D-30 until the next stage, D-15 for 24 hours, D-7 into the pill, D-1 and later refused) and
 * persists it, so a reload or a restart shows the same thing.
 */
final class DismissRoute {
  private final LicenseManager licenses;
  private final WebSettings settings;

  DismissRoute(LicenseManager licenses, WebSettings settings) {
    this.licenses = licenses;
    this.settings = settings;
  }

  record Dismissed(String outcome, StandingView.Banner banner) {}

  WebResponse handle(WebRequest r) {
    DismissResult result;
    try {
      result = licenses.dismiss();
    } catch (ClientException e) {
      return Problem.of(WebError.DISMISS_FAILED, e.getMessage()).toJson();
    }
    if (Requests.wantsHtml(r)) {
      return WebResponse.seeOther(Requests.backFromReferer(r, settings));
    }
    StandingView view =
        StandingView.of(licenses.standing(), Optional.empty(), settings, r.contextPath());
    return WebResponse.json(
        200, WebResponse.JSON, Json.write(new Dismissed(result.outcome().name(), view.banner())));
  }
}
