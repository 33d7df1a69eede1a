package dev.keyturn.server.console.usage;

import dev.keyturn.server.security.Actor;
import dev.keyturn.server.subscription.Subscription;
import dev.keyturn.server.subscription.SubscriptionService;
import dev.keyturn.server.usage.TrueUp;
import dev.keyturn.server.usage.UsageDay;
import dev.keyturn.server.usage.UsageHistory;
import dev.keyturn.server.usage.UsageReports;
import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.KeyturnServerException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A subscription's usage in the console: the chart over a period, its installations and nodes (with
 * release), the true-up report of a term, and both as CSV.
 */
@Controller
class UsageConsoleController {
  static final MediaType CSV = MediaType.parseMediaType("text/csv;charset=UTF-8");
  static final int DEFAULT_DAYS = 365;

  private final SubscriptionService subscriptions;
  private final UsageHistory history;
  private final TrueUp trueUp;
  private final UsageReports reports;
  private final Clock clock;

  UsageConsoleController(
      SubscriptionService subscriptions,
      UsageHistory history,
      TrueUp trueUp,
      UsageReports reports,
      Clock clock) {
    this.subscriptions = subscriptions;
    this.history = history;
    this.trueUp = trueUp;
    this.reports = reports;
    this.clock = clock;
  }

  /** An air-gapped installation's report file, uploaded by staff; audited on import. */
  @PostMapping("/console/subscriptions/{id}/usage-reports")
  String upload(
      @PathVariable String id,
      @RequestParam(name = "report", required = false) MultipartFile report,
      @RequestParam(defaultValue = "") String from,
      @RequestParam(defaultValue = "") String to,
      RedirectAttributes redirect)
      throws java.io.IOException {
    try {
      if (report == null || report.isEmpty()) {
        throw new KeyturnServerException(
            ErrorCode.USAGE_REPORT_MALFORMED, "choose the usage report file to upload");
      }
      UsageReports.Imported r = reports.importReport(report.getBytes(), id, Actor.current().name());
      redirect.addFlashAttribute(
          "flash",
          "Usage report "
              + r.sequence()
              + " of installation "
              + r.installationId()
              + " imported: "
              + r.months()
              + " month(s)"
              + (r.firstImport() ? ", the installation's key is now bound" : "")
              + (r.missingMonths().isEmpty()
                  ? "."
                  : "; missing months: " + String.join(", ", r.missingMonths()) + "."));
    } catch (KeyturnServerException e) {
      redirect.addFlashAttribute(
          "flashError", "Not imported (" + e.code().code() + "): " + e.getMessage());
    }
    return back(id, from, to);
  }

  @GetMapping("/console/subscriptions/{id}/usage")
  String page(
      @PathVariable String id,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(name = "license", required = false) String licenseId,
      Model model) {
    Subscription s = subscriptions.get(id);
    LocalDate end = day(to, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
    LocalDate start = day(from, end.minusDays(DEFAULT_DAYS - 1L));
    model.addAttribute("s", s);
    model.addAttribute("from", start);
    model.addAttribute("to", end);
    model.addAttribute("chart", history.chart(id, start, end));
    model.addAttribute("installations", history.installations(id));
    model.addAttribute("terms", trueUp.terms(id));
    model.addAttribute("imports", reports.imports(id));
    try {
      model.addAttribute("trueUp", trueUp.report(id, licenseId));
    } catch (KeyturnServerException e) {
      if (e.code() != ErrorCode.NOT_FOUND) {
        throw e;
      }
      model.addAttribute("trueUpMissing", e.getMessage());
    }
    return "console/usage";
  }

  @GetMapping("/console/subscriptions/{id}/usage.csv")
  ResponseEntity<String> usageCsv(
      @PathVariable String id,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to) {
    LocalDate end = day(to, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
    LocalDate start = day(from, end.minusDays(DEFAULT_DAYS - 1L));
    return file(
        UsageDay.csv(history.days(id, start, end)), id + "-usage-" + start + "-" + end + ".csv");
  }

  @GetMapping("/console/subscriptions/{id}/true-up.csv")
  ResponseEntity<String> trueUpCsv(
      @PathVariable String id, @RequestParam(name = "license", required = false) String licenseId) {
    TrueUp.TrueUpReport report = trueUp.report(id, licenseId);
    return file(report.csv(), id + "-true-up-" + report.licenseId() + ".csv");
  }

  /**
   * The overage allowance, one {@code limit=percent} a line (or comma-separated); empty removes it.
   * Licenses issued from now on carry it.
   */
  @PostMapping("/console/subscriptions/{id}/overage")
  String overage(
      @PathVariable String id,
      @RequestParam(defaultValue = "") String overage,
      @RequestParam(defaultValue = "") String from,
      @RequestParam(defaultValue = "") String to,
      RedirectAttributes redirect) {
    try {
      java.util.Map<String, Integer> percent = new java.util.LinkedHashMap<>();
      for (String entry : overage.split("[,\\n]")) {
        if (entry.isBlank()) {
          continue;
        }
        String[] parts = entry.split("=", 2);
        try {
          percent.put(parts[0].strip(), Integer.parseInt(parts[1].strip().replace("%", "")));
        } catch (RuntimeException e) {
          throw new KeyturnServerException(
              ErrorCode.VALIDATION_FAILED,
              "'" + entry.strip() + "' is not limit=percent, e.g. users=10");
        }
      }
      subscriptions.setOveragePercent(id, percent, Actor.current());
      redirect.addFlashAttribute(
          "flash",
          percent.isEmpty()
              ? "Overage allowance removed from the licenses issued from now on."
              : "Overage allowance saved; the licenses issued from now on carry it.");
    } catch (KeyturnServerException e) {
      redirect.addFlashAttribute("flashError", "Not saved: " + e.getMessage());
    }
    return back(id, from, to);
  }

  /** Frees the subscription for another installation; audited as {@code instance.released}. */
  @PostMapping("/console/subscriptions/{id}/installations/release")
  String release(
      @PathVariable String id,
      @RequestParam String installation,
      @RequestParam(defaultValue = "") String reason,
      @RequestParam(defaultValue = "") String from,
      @RequestParam(defaultValue = "") String to,
      RedirectAttributes redirect) {
    try {
      subscriptions.releaseInstance(id, installation, reason, Actor.current().name());
      redirect.addFlashAttribute(
          "flash",
          "Installation "
              + installation
              + " released: the next installation to check in binds it.");
    } catch (KeyturnServerException e) {
      redirect.addFlashAttribute("flashError", "Not released: " + e.getMessage());
    }
    return back(id, from, to);
  }

  /** Back to the usage page, on the period it showed (the forms post it along). */
  private static String back(String id, String from, String to) {
    String period =
        from.matches("\\d{4}-\\d{2}-\\d{2}") && to.matches("\\d{4}-\\d{2}-\\d{2}")
            ? "?from=" + from + "&to=" + to
            : "";
    return "redirect:/console/subscriptions/" + id + "/usage" + period;
  }

  private static LocalDate day(String text, LocalDate otherwise) {
    if (text == null || text.isBlank()) {
      return otherwise;
    }
    try {
      return LocalDate.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw new KeyturnServerException(
          ErrorCode.VALIDATION_FAILED, "'" + text + "' is not a date (YYYY-MM-DD)");
    }
  }

  private static ResponseEntity<String> file(String csv, String name) {
    return ResponseEntity.ok()
        .contentType(CSV)
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"")
        .body(csv);
  }
}
