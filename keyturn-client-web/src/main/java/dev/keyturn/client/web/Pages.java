package dev.keyturn.client.web;

import static dev.keyturn.client.web.Html.escape;

import dev.keyturn.client.ClientStanding;
import dev.keyturn.core.license.License;
import dev.keyturn.core.lifecycle.LimitUsage;
import dev.keyturn.core.lifecycle.Mode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * The module's own pages: the lock screen, the license page (the same paste box, for installing a
 * renewal before anything locks), the read-only refusal and a plain message page. Server-rendered
 * so they work without JavaScript; {@code banner.js} enhances the paste box (inline answers, dates
 * in the viewer's zone) and reloads the lock screen once a license is in force.
 */
final class Pages {
  private static final DateTimeFormatter UTC_DATE_TIME =
      DateTimeFormatter.ofPattern("d MMM uuuu, HH:mm 'UTC'", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  private final WebSettings settings;

  Pages(WebSettings settings) {
    this.settings = settings;
  }

  /** A rendered install answer: the code and the message. */
  record Outcome(boolean installed, String code, String message) {}

  /** The full-screen lock: why, the reassurance that data is safe, and the paste box. */
  String lock(ClientStanding s, String contextPath, String returnTo, Optional<Outcome> outcome) {
    String product = escape(settings.productName());
    StringBuilder main = new StringBuilder();
    head(main, "lock", Icons.LOCK, product, product + " is locked");
    main.append("<p class=\"kt-lead\" data-kt-banner-text>")
        .append(escape(s.banner().text()))
        .append("</p>\n");
    safe(
        main,
        "Your data is safe. Once a valid license is installed you are back where you left off,"
            + " with no restart.");
    facts(main, s);
    result(main, outcome);
    form(main, contextPath, returnTo, "Unlock", "reload", s);
    footer(main, contextPath, true);
    return page("lock", settings.productName() + " is locked", contextPath, main);
  }

  /** The license page: what is installed, and the paste box for a new one. */
  String license(ClientStanding s, String contextPath, Optional<Outcome> outcome) {
    String product = escape(settings.productName());
    StringBuilder main = new StringBuilder();
    head(main, "license", Icons.KEY, product, "License");
    main.append("<p class=\"kt-status kt-status--")
        .append(s.mode().name().toLowerCase(Locale.ROOT))
        .append("\"><span class=\"kt-status__dot\" aria-hidden=\"true\"></span>")
        .append(escape(capitalize(s.summary())))
        .append("</p>\n");
    if (!s.banner().text().isEmpty()) {
      main.append("<p class=\"kt-lead\" data-kt-banner-text>")
          .append(escape(s.banner().text()))
          .append("</p>\n");
    }
    facts(main, s);
    usage(main, s, contextPath);
    result(main, outcome);
    form(main, contextPath, "", s.mode() == Mode.LOCKED ? "Unlock" : "Install license", "stay", s);
    footer(main, contextPath, false);
    return page("license", "License · " + settings.productName(), contextPath, main);
  }

  /** Why a change was refused during read-only grace, and how to get back to full use. */
  String readOnly(ClientStanding s, String contextPath, String backHref) {
    String product = escape(settings.productName());
    StringBuilder main = new StringBuilder();
    head(main, "read-only", Icons.PAUSE, product, product + " is read-only");
    main.append("<p class=\"kt-refused\">Your change was not saved.</p>\n")
        .append("<p class=\"kt-lead kt-lead--after\" data-kt-banner-text>")
        .append(escape(s.banner().text()))
        .append("</p>\n");
    safe(
        main,
        "Your data is safe and can still be read. Saving works again as soon as a renewed"
            + " license is installed.");
    facts(main, s);
    main.append("<div class=\"kt-actions\">\n")
        .append("<a class=\"kt-button kt-button--primary\" href=\"")
        .append(escape(backHref))
        .append("\">Go back</a>\n")
        .append("<a class=\"kt-button kt-button--secondary\" href=\"")
        .append(escape(contextPath + settings.basePath() + "/"))
        .append("\">Install a license</a>\n");
    renew(main, s, contextPath);
    main.append("</div>\n");
    footer(main, contextPath, false);
    return page("read-only", settings.productName() + " is read-only", contextPath, main);
  }

  /** A short page for refusals a browser may see (a cross-site post, a body too large). */
  String message(String title, String detail, String contextPath) {
    StringBuilder main = new StringBuilder();
    head(main, "message", Icons.SHIELD_CHECK, escape(settings.productName()), escape(title));
    main.append("<p class=\"kt-lead\">").append(escape(detail)).append("</p>\n");
    main.append("<div class=\"kt-actions\"><a class=\"kt-button kt-button--secondary\" href=\"")
        .append(escape(contextPath + "/"))
        .append("\">Back to ")
        .append(escape(settings.productName()))
        .append("</a></div>\n");
    return page("message", title, contextPath, main);
  }

  private String page(String kind, String title, String contextPath, CharSequence main) {
    String base = escape(contextPath + settings.basePath());
    return "<!doctype html>\n<html lang=\"en\" data-keyturn-page=\""
        + kind
        + "\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<meta name=\"robots\" content=\"noindex\">\n<title>"
        + escape(title)
        + "</title>\n<link rel=\"stylesheet\" href=\""
        + base
        + "/banner.css\">\n</head>\n<body class=\"kt-screen kt-screen--"
        + kind
        + "\">\n<main class=\"kt-card\" aria-labelledby=\"kt-title\">\n"
        + main
        + "</main>\n<script src=\""
        + base
        + "/banner.js\" defer></script>\n</body>\n</html>\n";
  }

  private static void head(
      StringBuilder main, String kind, String icon, String eyebrowHtml, String titleHtml) {
    main.append("<div class=\"kt-card__head\">\n<span class=\"kt-emblem kt-emblem--")
        .append(kind)
        .append("\">")
        .append(icon)
        .append("</span>\n<div>\n<p class=\"kt-eyebrow\">")
        .append(eyebrowHtml)
        .append("</p>\n<h1 id=\"kt-title\">")
        .append(titleHtml)
        .append("</h1>\n</div>\n</div>\n");
  }

  private static void safe(StringBuilder main, String text) {
    main.append("<p class=\"kt-safe\">")
        .append(Icons.SHIELD_CHECK)
        .append("<span>")
        .append(escape(text))
        .append("</span></p>\n");
  }

  private static void facts(StringBuilder main, ClientStanding s) {
    if (s.license().isEmpty()) {
      return;
    }
    License l = s.license().get();
    main.append("<dl class=\"kt-facts\">\n");
    fact(main, "Customer", escape(l.customer()));
    fact(main, "Reference", "<code>" + escape(l.subscriptionId()) + "</code>");
    fact(main, "Tier", escape(l.tier()));
    fact(main, l.expiresAt().isAfter(s.evaluatedAt()) ? "Expires" : "Expired", time(l.expiresAt()));
    main.append("</dl>\n");
  }

  /**
   * Each reported limit's usage against the license (and its allowance), and the button that writes
   * a usage report for the vendor: how an air-gapped installation tells its vendor its usage.
   */
  private void usage(StringBuilder main, ClientStanding s, String contextPath) {
    if (s.license().isEmpty()) {
      return;
    }
    if (!s.usage().limits().isEmpty()) {
      main.append("<dl class=\"kt-facts\" data-kt-usage>\n");
      for (LimitUsage l : s.usage().limits()) {
        String allowance =
            l.overagePercent() > 0
                ? " (up to " + l.ceiling() + " with the " + l.overagePercent() + "% allowance)"
                : "";
        fact(
            main,
            "Usage: " + escape(l.limit()),
            escape(l.usage() + " of " + l.licensed() + allowance));
      }
      main.append("</dl>\n");
    }
    main.append("<form class=\"kt-actions\" method=\"post\" action=\"")
        .append(escape(contextPath + settings.basePath() + "/usage-report"))
        .append("\"><button class=\"kt-button kt-button--secondary\" type=\"submit\"")
        .append(" data-kt-usage-report>Export usage report</button></form>\n");
  }

  private static void fact(StringBuilder main, String term, String valueHtml) {
    main.append("<div><dt>")
        .append(term)
        .append("</dt><dd>")
        .append(valueHtml)
        .append("</dd></div>\n");
  }

  /** UTC on the server; {@code banner.js} rewrites it in the viewer's zone. */
  private static String time(Instant at) {
    return "<time datetime=\""
        + at
        + "\" data-kt-local>"
        + escape(UTC_DATE_TIME.format(at))
        + "</time>";
  }

  private static void result(StringBuilder main, Optional<Outcome> outcome) {
    main.append("<div id=\"kt-install-result\" class=\"kt-result-slot\" aria-live=\"polite\">");
    outcome.ifPresent(
        o ->
            main.append("<div class=\"kt-result kt-result--")
                .append(o.installed() ? "ok" : "error")
                .append("\" role=\"")
                .append(o.installed() ? "status" : "alert")
                .append("\"><span class=\"kt-result__code\">")
                .append(escape(o.code()))
                .append("</span><p class=\"kt-result__message\">")
                .append(escape(o.message()))
                .append("</p></div>"));
    main.append("</div>\n");
  }

  private void form(
      StringBuilder main,
      String contextPath,
      String returnTo,
      String submit,
      String after,
      ClientStanding s) {
    main.append("<form id=\"kt-install-form\" class=\"kt-form\" method=\"post\" action=\"")
        .append(escape(contextPath + settings.basePath() + "/install"))
        .append("\" enctype=\"multipart/form-data\" data-kt-after=\"")
        .append(after)
        .append("\">\n");
    if (!returnTo.isEmpty()) {
      main.append("<input type=\"hidden\" name=\"")
          .append(LicenseSubmission.RETURN_FIELD)
          .append("\" value=\"")
          .append(escape(returnTo))
          .append("\">\n");
    }
    main.append("<label class=\"kt-label\" for=\"kt-license\">Paste your license</label>\n")
        .append("<textarea id=\"kt-license\" name=\"")
        .append(LicenseSubmission.FIELD)
        .append("\" rows=\"6\" spellcheck=\"false\" autocomplete=\"off\"")
        .append(" aria-describedby=\"kt-license-hint\" placeholder=\"")
        .append(escape("# Keyturn license for …\nformat = 1\n\n[license]\n…"))
        .append("\"></textarea>\n")
        .append("<p id=\"kt-license-hint\" class=\"kt-hint\">The whole")
        .append(" <code>.license.toml</code> file your vendor sent, comments included.</p>\n")
        .append("<div class=\"kt-divider\"><span>or</span></div>\n")
        .append("<label class=\"kt-label\" for=\"kt-file\">Upload the license file</label>\n")
        .append("<input id=\"kt-file\" class=\"kt-file\" type=\"file\" name=\"")
        .append(LicenseSubmission.FILE_FIELD)
        .append("\" accept=\".toml,.license,text/plain\">\n")
        .append("<div class=\"kt-actions\">\n")
        .append("<button type=\"submit\" class=\"kt-button kt-button--primary\">")
        .append(escape(submit))
        .append("</button>\n");
    renew(main, s, contextPath);
    main.append("</div>\n</form>\n");
  }

  /** The page's "Request a renewal": a link, or a button {@code banner.js} turns into a form. */
  private void renew(StringBuilder main, ClientStanding s, String contextPath) {
    StandingView.Renewal r = StandingView.renewal(s, settings, contextPath);
    if (r == null) {
      return;
    }
    if (r.kind().equals("server")) {
      main.append(
          "<button type=\"button\" class=\"kt-button kt-button--secondary\" data-kt-renew>"
              + "Request a renewal</button>\n");
    } else {
      main.append("<a class=\"kt-button kt-button--secondary\" data-kt-renew-link href=\"")
          .append(escape(r.href()))
          .append("\"")
          .append(r.kind().equals("portal") ? " target=\"_blank\" rel=\"noopener\"" : "")
          .append(">Request a renewal</a>\n");
    }
  }

  private void footer(StringBuilder main, String contextPath, boolean linkToLicensePage) {
    main.append("<p class=\"kt-footnote\">Questions about your license? Contact ")
        .append(escape(settings.vendorName()))
        .append(".");
    if (linkToLicensePage) {
      main.append(" <a href=\"")
          .append(escape(contextPath + settings.basePath() + "/"))
          .append("\">License details</a>");
    }
    main.append("</p>\n");
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
