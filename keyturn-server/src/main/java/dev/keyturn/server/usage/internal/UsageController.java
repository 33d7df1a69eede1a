package dev.keyturn.server.usage.internal;

import dev.keyturn.server.usage.Installation;
import dev.keyturn.server.usage.TrueUp;
import dev.keyturn.server.usage.UsageDay;
import dev.keyturn.server.usage.UsageHistory;
import dev.keyturn.server.web.Validator;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A subscription's usage history, installations and true-up report, as JSON or CSV. */
@RestController
class UsageController {
  static final MediaType CSV = MediaType.parseMediaType("text/csv;charset=UTF-8");

  /** Days shown when the request names no period: the last 90, today included. */
  static final int DEFAULT_DAYS = 90;

  /** The longest period one request may ask for (ten years of days). */
  static final int MAX_DAYS = 3660;

  private final UsageHistory history;
  private final TrueUp trueUp;
  private final Clock clock;

  UsageController(UsageHistory history, TrueUp trueUp, Clock clock) {
    this.history = history;
    this.trueUp = trueUp;
    this.clock = clock;
  }

  /** The period asked for, in UTC days, both ends included. */
  record Period(LocalDate from, LocalDate to) {
    static Period parse(String from, String to, LocalDate today) {
      Validator v = new Validator();
      LocalDate end = day(to, "to", v);
      end = end == null ? today : end;
      LocalDate start = day(from, "from", v);
      start = start == null ? end.minusDays(DEFAULT_DAYS - 1L) : start;
      v.check(!start.isAfter(end), "from", "must not be after to (" + end + ")");
      v.check(
          ChronoUnit.DAYS.between(start, end) < MAX_DAYS,
          "from",
          "the period may span at most " + MAX_DAYS + " days");
      v.throwIfAny();
      return new Period(start, end);
    }

    private static LocalDate day(String text, String field, Validator v) {
      if (text == null || text.isBlank()) {
        return null;
      }
      try {
        return LocalDate.parse(text.strip());
      } catch (DateTimeParseException e) {
        v.error(field, "'" + text + "' is not a date (YYYY-MM-DD, UTC)");
        return null;
      }
    }
  }

  static boolean wantsCsv(String format, String accept) {
    if (format != null && !format.isBlank()) {
      return "csv".equalsIgnoreCase(format.strip());
    }
    return accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("text/csv");
  }

  @GetMapping("/api/v1/subscriptions/{id}/usage")
  @Operation(
      summary = "A subscription's daily usage",
      description =
          "Each UTC day's highest reported value per limit (over the subscription's installations)"
              + " in [from, to], both YYYY-MM-DD and included; the last 90 days by default, at most"
              + " 3660. JSON, or CSV (day,limit,max) with format=csv or Accept: text/csv.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the days with data, oldest first",
            content = {
              @Content(mediaType = "application/json"),
              @Content(mediaType = "text/csv", schema = @Schema(type = "string"))
            }),
        @ApiResponse(responseCode = "400", ref = "#/components/responses/Invalid"),
        @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
      })
  ResponseEntity<?> usage(
      @PathVariable String id,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @Parameter(description = "json (default) or csv") @RequestParam(required = false)
          String format,
      @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
    Period period = Period.parse(from, to, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
    List<UsageDay> days = history.days(id, period.from(), period.to());
    if (wantsCsv(format, accept)) {
      return csvFile(
          UsageDay.csv(days), id + "-usage-" + period.from() + "-" + period.to() + ".csv");
    }
    List<Map<String, Object>> byDay = new ArrayList<>();
    Map<String, Long> current = null;
    LocalDate currentDay = null;
    for (UsageDay d : days) {
      if (!d.day().equals(currentDay)) {
        currentDay = d.day();
        current = new LinkedHashMap<>();
        byDay.add(Map.of("day", currentDay.toString(), "usage", current));
      }
      current.put(d.limit(), d.max());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("subscription_id", id);
    body.put("from", period.from().toString());
    body.put("to", period.to().toString());
    body.put("days", byDay);
    return ResponseEntity.ok(body);
  }

  @GetMapping("/api/v1/subscriptions/{id}/installations")
  @Operation(
      summary = "A subscription's installations and their nodes",
      description =
          "The installation bound now, then every installation with a check-in within the raw"
              + " retention (keyturn.usage.raw-retention), each with its nodes and when they were"
              + " last seen.")
  List<Installation> installations(@PathVariable String id) {
    return history.installations(id);
  }

  @GetMapping("/api/v1/subscriptions/{id}/true-up")
  @Operation(
      summary = "True-up report of a term",
      description =
          "Per limit: the licensed value and allowance, the term's peak, each month's maximum and"
              + " how far above the licensed value it was, and the units above × months. The term is"
              + " the validity of license_id, by default the subscription's current license. JSON,"
              + " or CSV with format=csv or Accept: text/csv.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the report",
            content = {
              @Content(
                  mediaType = "application/json",
                  schema = @Schema(implementation = TrueUp.TrueUpReport.class)),
              @Content(mediaType = "text/csv", schema = @Schema(type = "string"))
            }),
        @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
      })
  ResponseEntity<?> trueUp(
      @PathVariable String id,
      @RequestParam(name = "license_id", required = false) String licenseId,
      @RequestParam(required = false) String format,
      @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
    TrueUp.TrueUpReport report = trueUp.report(id, licenseId);
    if (wantsCsv(format, accept)) {
      return csvFile(report.csv(), id + "-true-up-" + report.licenseId() + ".csv");
    }
    return ResponseEntity.ok(report);
  }

  static ResponseEntity<String> csvFile(String csv, String name) {
    return ResponseEntity.ok()
        .contentType(CSV)
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"")
        .body(csv);
  }
}
