package dev.keyturn.example.appliance;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Escaping and the shared page frame of the notes app. */
final class Html {
  static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("d MMM uuuu, HH:mm 'UTC'", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  private Html() {}

  static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }

  static String time(Instant at) {
    return "<time datetime=\"" + at + "\">" + escape(WHEN.format(at)) + "</time>";
  }

  /**
   * The frame every page of the product shares: the header with the license pill's slot, and the
   * one tag that brings the license banner.
   */
  static String page(String title, boolean demo, String main) {
    return "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<title>"
        + escape(title)
        + "</title>\n<link rel=\"stylesheet\" href=\"/app.css\">\n"
        + "<script src=\"/license/banner.js\" defer></script>\n</head>\n<body>\n"
        + "<header class=\"app-header\">\n<a class=\"app-brand\" href=\"/\">"
        + "<span class=\"app-logo\" aria-hidden=\"true\">N</span>Acme Notes</a>\n"
        + "<nav class=\"app-nav\">\n<span data-keyturn-pill></span>\n"
        + (demo ? "<a href=\"/demo\">Demo controls</a>\n" : "")
        + "<a href=\"/license/\">License</a>\n</nav>\n</header>\n"
        + "<main class=\"app-main\">\n"
        + main
        + "</main>\n</body>\n</html>\n";
  }
}
