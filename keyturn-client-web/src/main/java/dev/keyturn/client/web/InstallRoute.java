package dev.keyturn.client.web;

import dev.keyturn.client.ClientException;
import dev.keyturn.client.ClientStanding;
import dev.keyturn.client.InstallResult;
import dev.keyturn.client.LicenseManager;
import dev.keyturn.client.LimitExcess;
import dev.keyturn.core.VerificationCode;
import dev.keyturn.core.lifecycle.Mode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /license/install}: the paste box, the file upload and API clients. Answers with the
 * typed {@link VerificationCode}: JSON ({@code 200} installed, {@code 422} problem+json with the
 * code) or, for a browser form without JavaScript, a redirect back to the product (installed) or
 * the page again with the code and message (rejected).
 */
final class InstallRoute {
  /** A license file is at most 64 KiB; the rest is room for multipart framing. */
  static final int MAX_BODY_BYTES = 256 * 1024;

  private final LicenseManager licenses;
  private final WebSettings settings;
  private final Pages pages;

  InstallRoute(LicenseManager licenses, WebSettings settings, Pages pages) {
    this.licenses = licenses;
    this.settings = settings;
    this.pages = pages;
  }

  /** The answer to a successful install, as JSON. */
  record Installed(
      String code,
      boolean installed,
      boolean inForce,
      String message,
      String mode,
      String licenseId) {}

  WebResponse handle(WebRequest r) throws IOException {
    String contentType = r.header("Content-Type").orElse("");
    Optional<LicenseSubmission> submission =
        LicenseSubmission.from(contentType, r.body(MAX_BODY_BYTES));
    if (submission.isEmpty()) {
      return Problem.of(WebError.BAD_REQUEST, "the multipart body could not be read").toJson();
    }
    LicenseSubmission sub = submission.get();
    if (sub.isBlank()) {
      return rejected(
          r,
          sub,
          VerificationCode.MALFORMED,
          "Nothing was pasted or uploaded: paste the whole license file, or choose it with"
              + " the upload button.",
          List.of());
    }
    InstallResult result;
    try {
      result = licenses.install(sub.text());
    } catch (ClientException e) {
      return failed(r, e.getMessage());
    }
    if (!result.installed()) {
      return rejected(r, sub, result.code(), result.message(), result.excesses());
    }
    if (Requests.wantsHtml(r)) {
      if (sub.returnTo().isPresent()) {
        return WebResponse.seeOther(Requests.safeLocalPath(sub.returnTo(), r.contextPath()));
      }
      return WebResponse.html(
          200,
          pages.license(
              licenses.standing(),
              r.contextPath(),
              Optional.of(new Pages.Outcome(true, result.code().name(), result.message()))));
    }
    Installed body =
        new Installed(
            result.code().name(),
            true,
            result.inForce(),
            result.message(),
            licenses.mode().name(),
            result.license().map(l -> l.id()).orElse(null));
    return WebResponse.json(200, WebResponse.JSON, Json.write(body));
  }

  private WebResponse rejected(
      WebRequest r,
      LicenseSubmission sub,
      VerificationCode code,
      String message,
      List<LimitExcess> excesses) {
    if (Requests.wantsHtml(r)) {
      ClientStanding s = licenses.standing();
      Optional<Pages.Outcome> outcome = Optional.of(new Pages.Outcome(false, code.name(), message));
      String html =
          s.mode() == Mode.LOCKED && sub.returnTo().isPresent()
              ? pages.lock(
                  s,
                  r.contextPath(),
                  Requests.safeLocalPath(sub.returnTo(), r.contextPath()),
                  outcome)
              : pages.license(s, r.contextPath(), outcome);
      return WebResponse.html(WebError.LICENSE_REJECTED_STATUS, html);
    }
    Map<String, Object> extras = new LinkedHashMap<>();
    extras.put("installed", false);
    if (!excesses.isEmpty()) {
      extras.put(
          "excesses",
          excesses.stream()
              .map(
                  e -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("limit", e.limit());
                    m.put("usage", e.usage());
                    m.put("new_value", e.newValue());
                    return m;
                  })
              .toList());
    }
    return new Problem(
            code.name(),
            WebError.LICENSE_REJECTED_STATUS,
            "The license was not installed",
            message,
            extras)
        .toJson();
  }

  private WebResponse failed(WebRequest r, String detail) {
    if (Requests.wantsHtml(r)) {
      return WebResponse.html(
          WebError.INSTALL_FAILED.status(),
          pages.message(WebError.INSTALL_FAILED.title(), detail, r.contextPath()));
    }
    return Problem.of(WebError.INSTALL_FAILED, detail).toJson();
  }
}
