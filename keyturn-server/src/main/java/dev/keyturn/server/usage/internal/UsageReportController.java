package dev.keyturn.server.usage.internal;

import dev.keyturn.server.security.Actor;
import dev.keyturn.server.usage.UsageHistory;
import dev.keyturn.server.usage.UsageImport;
import dev.keyturn.server.usage.UsageReports;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Air-gapped usage reports: the import, and a subscription's imported reports. */
@RestController
class UsageReportController {
  private final UsageReports reports;
  private final UsageHistory history;

  UsageReportController(UsageReports reports, UsageHistory history) {
    this.reports = reports;
    this.history = history;
  }

  @PostMapping("/api/v1/usage-reports")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      summary = "Import an air-gapped installation's usage report",
      description =
          "The body is the file `keyturn usage export` wrote (keyturn-usage-report-v1, at most 256"
              + " KiB). The signature is verified, the installation's key is bound on its first"
              + " import (another key later: usage_report.installation_key_mismatch), a sequence"
              + " not above the last one is usage_report.replayed, an audit chain shorter than last"
              + " time usage_report.chain_backwards; missing months are flagged in the answer. The"
              + " monthly maxima go into the usage history (each month as its first day). Nothing"
              + " in a report changes a license. ADMIN, SALES and SUPPORT.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content =
                  @Content(mediaType = "application/json", schema = @Schema(type = "string"))),
      responses = {
        @ApiResponse(responseCode = "201", description = "imported"),
        @ApiResponse(
            responseCode = "400",
            description = "malformed, forged, unsupported or absurd"),
        @ApiResponse(
            responseCode = "409",
            description = "replayed, chain backwards, another key, another subscription"),
        @ApiResponse(responseCode = "413", description = "too large"),
        @ApiResponse(responseCode = "422", description = "a license this server did not issue")
      })
  UsageReports.Imported importReport(
      @RequestBody byte[] body,
      @Parameter(description = "refuse the report unless it is for this subscription")
          @RequestParam(name = "subscription_id", required = false)
          String subscriptionId) {
    return reports.importReport(body, subscriptionId, Actor.current().name());
  }

  @GetMapping("/api/v1/subscriptions/{id}/usage-reports")
  @Operation(summary = "A subscription's imported usage reports, newest first (at most 100)")
  List<UsageImport> imports(@PathVariable String id) {
    history.installations(id); // 404 for an unknown subscription
    return reports.imports(id);
  }
}
