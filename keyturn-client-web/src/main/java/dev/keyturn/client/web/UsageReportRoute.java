package dev.keyturn.client.web;

import dev.keyturn.client.ClientException;
import dev.keyturn.client.LicenseManager;
import dev.keyturn.core.usage.SignedUsageReport;
import dev.keyturn.core.usage.UsageReport;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code POST /license/usage-report}: the license page's "Export usage report" button. Writes a
 * usage report signed by this installation's key (docs/usage-report.md) and answers it as a
 * download, for an air-gapped customer to send to the vendor. A POST, not a GET: each export takes
 * the next sequence number and is audited, so a prefetching browser must not make one.
 */
final class UsageReportRoute {
  private final LicenseManager licenses;

  UsageReportRoute(LicenseManager licenses) {
    this.licenses = licenses;
  }

  WebResponse handle() {
    SignedUsageReport signed;
    try {
      signed = licenses.exportUsageReport();
    } catch (ClientException e) {
      return Problem.of(
              WebError.BAD_REQUEST, "No usage report was written: " + e.getMessage() + ".")
          .toJson();
    }
    UsageReport report = signed.unverifiedReport();
    String name =
        "usage-report-" + report.installationId() + "-" + report.sequence() + ".usage.json";
    return new WebResponse(
        200,
        WebResponse.JSON,
        Map.of(
            "Content-Disposition", "attachment; filename=\"" + name + "\"",
            "Cache-Control", "no-store",
            "X-Content-Type-Options", "nosniff"),
        signed.toJson().getBytes(StandardCharsets.UTF_8));
  }
}
