package dev.keyturn.example.appliance;

import static dev.keyturn.example.appliance.Html.escape;

import dev.keyturn.client.ClientStanding;
import dev.keyturn.client.LicenseManager;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The demo's control panel ({@code GET /demo}) and its actions: {@code POST /demo/clock} with
 * {@code days=N}, {@code to=D-30|…|EXPIRY|LOCK} or {@code back=N}, and {@code POST /demo/license}
 * with {@code kind=renewal|tampered} to get a license file to paste. Exempt from the license gate,
 * so the clock can be moved while the product is locked.
 */
final class DemoServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final long DAY_SECONDS = Duration.ofDays(1).toSeconds();

  private final transient Demo demo;
  private final transient LicenseManager licenses;

  DemoServlet(Demo demo, LicenseManager licenses) {
    this.demo = demo;
    this.licenses = licenses;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    if (req.getPathInfo() != null && !req.getPathInfo().equals("/")) {
      res.sendError(404);
      return;
    }
    html(res, 200, panel("", ""));
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse res) throws IOException {
    if (!sameOrigin(req)) {
      res.sendError(403, "demo controls take requests from this server's pages only");
      return;
    }
    String action = req.getPathInfo() == null ? "" : req.getPathInfo();
    try {
      switch (action) {
        case "/clock" -> {
          clock(req);
          res.setStatus(303);
          res.setHeader("Location", "/demo");
        }
        case "/license" -> {
          String kind = req.getParameter("kind");
          String text = "tampered".equals(kind) ? demo.tamperedRenewal() : demo.renewal();
          html(res, 200, panel(text, "tampered".equals(kind) ? "tampered" : "renewal"));
        }
        default -> res.sendError(404);
      }
    } catch (IllegalArgumentException e) {
      html(
          res,
          400,
          Html.page(
              "Demo controls",
              true,
              "<section class=\"app-card\"><h1>Not done</h1><p>"
                  + escape(e.getMessage())
                  + "</p><p><a href=\"/demo\">Back to the demo controls</a></p></section>\n"));
    }
  }

  private void clock(HttpServletRequest req) {
    if (req.getParameter("days") != null) {
      demo.advanceDays(number(req.getParameter("days")));
    } else if (req.getParameter("to") != null) {
      demo.jumpTo(req.getParameter("to"));
    } else if (req.getParameter("back") != null) {
      demo.turnBack(Duration.ofDays(number(req.getParameter("back"))));
    } else {
      throw new IllegalArgumentException("say days=N, to=STAGE or back=N");
    }
  }

  private static int number(String s) {
    try {
      return Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number of days: '" + s + "'", e);
    }
  }

  private String panel(String licenseText, String kind) {
    ClientStanding s = licenses.standing();
    StringBuilder m = new StringBuilder();
    m.append("<section class=\"app-card demo\">\n<h1>Demo controls</h1>\n")
        .append("<p class=\"demo-intro\">Move the product's clock through the license's stages,")
        .append(" watch the banner change, get locked, paste a renewal and be back at work.</p>\n")
        .append("<dl class=\"demo-facts\">\n")
        .append("<div><dt>Product clock</dt><dd id=\"demo-clock\">")
        .append(Html.time(s.evaluatedAt()))
        .append("</dd></div>\n<div><dt>License</dt><dd id=\"demo-summary\">")
        .append(escape(s.summary()))
        .append("</dd></div>\n<div><dt>Mode</dt><dd><span class=\"demo-mode demo-mode--")
        .append(s.mode().name().toLowerCase(Locale.ROOT))
        .append("\" id=\"demo-mode\">")
        .append(s.mode())
        .append("</span></dd></div>\n<div><dt>Policy</dt><dd>")
        .append(escape(demo.preset()))
        .append("</dd></div>\n</dl>\n");

    m.append(
        "<h2>Jump to a stage</h2>\n<form class=\"demo-row\" method=\"post\" action=\"/demo/clock\">\n");
    var milestones = demo.milestones();
    if (milestones.isEmpty()) {
      m.append("<p class=\"app-empty\">No stage ahead: paste a renewal to start over.</p>\n");
    }
    for (Demo.Milestone ms : milestones) {
      long days = daysUntil(s.evaluatedAt(), ms.startsAt());
      m.append("<button type=\"submit\" name=\"to\" value=\"")
          .append(escape(ms.id()))
          .append("\" data-stage=\"")
          .append(escape(ms.id()))
          .append("\">")
          .append(escape(ms.label()))
          .append(" <small>in ")
          .append(days)
          .append(days == 1 ? " day" : " days")
          .append("</small></button>\n");
    }
    m.append(
            "</form>\n<h2>Let time pass</h2>\n<form class=\"demo-row\" method=\"post\" action=\"/demo/clock\">\n")
        .append("<button type=\"submit\" name=\"days\" value=\"1\">+1 day</button>\n")
        .append("<button type=\"submit\" name=\"days\" value=\"7\">+7 days</button>\n")
        .append("<button type=\"submit\" name=\"days\" value=\"30\">+30 days</button>\n")
        .append("<button type=\"submit\" name=\"back\" value=\"2\" class=\"demo-secondary\">")
        .append("Turn the clock back 2 days</button>\n</form>\n");

    m.append(
            "<h2>Licenses from the vendor</h2>\n<form class=\"demo-row\" method=\"post\" action=\"/demo/license\">\n")
        .append(
            "<button type=\"submit\" name=\"kind\" value=\"renewal\">Issue a renewal</button>\n")
        .append(
            "<button type=\"submit\" name=\"kind\" value=\"tampered\" class=\"demo-secondary\">")
        .append("Issue a tampered renewal</button>\n</form>\n");
    if (!licenseText.isEmpty()) {
      String file = kind.equals("tampered") ? "tampered.license.toml" : "renewal.license.toml";
      m.append("<label for=\"demo-license\">")
          .append(
              kind.equals("tampered")
                  ? "A tampered renewal (its signature no longer holds)"
                  : "A renewal signed by the demo vendor key")
          .append(
              ": paste it on the lock screen or the <a href=\"/license/\">license page</a></label>\n")
          .append("<textarea id=\"demo-license\" class=\"demo-license\" rows=\"12\" readonly>")
          .append(escape(licenseText))
          .append("</textarea>\n<p><a download=\"")
          .append(file)
          .append("\" href=\"data:application/toml;charset=utf-8,")
          .append(
              escape(URLEncoder.encode(licenseText, StandardCharsets.UTF_8).replace("+", "%20")))
          .append("\">Download ")
          .append(file)
          .append("</a></p>\n");
    }
    m.append("</section>\n");
    return Html.page("Demo controls · Acme Notes", true, m.toString());
  }

  /**
   * Whole days until {@code then}, rounded up as every days-left count in Keyturn is: a stage 23
   * hours away is "in 1 day", so a license that expires in 31 days reaches D-30 in 1 day, not 0.
   */
  static long daysUntil(Instant now, Instant then) {
    long seconds = Duration.between(now, then).toSeconds();
    return seconds <= 0 ? 0 : (seconds + DAY_SECONDS - 1) / DAY_SECONDS;
  }

  /** The demo's forms post from its own pages; refuse another site's page moving the clock. */
  private static boolean sameOrigin(HttpServletRequest req) {
    String origin = req.getHeader("Origin");
    if (origin == null) {
      return true;
    }
    try {
      URI o = URI.create(origin);
      String authority = o.getHost() + (o.getPort() == -1 ? "" : ":" + o.getPort());
      return authority.equalsIgnoreCase(req.getHeader("Host"));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static void html(HttpServletResponse res, int status, String html) throws IOException {
    res.setStatus(status);
    res.setContentType("text/html; charset=utf-8");
    res.setHeader("Cache-Control", "no-store");
    res.getOutputStream().write(html.getBytes(StandardCharsets.UTF_8));
  }
}
