package dev.keyturn.client.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyturn.core.usage.SignedUsageReport;
import dev.keyturn.core.usage.UsageReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsageRouteTest {
  @TempDir Path dir;

  @Test
  void usage_over_the_allowance_speaks_through_the_banner_and_the_license_page() {
    try (Harness h =
        Harness.withLicense(
            dir, Fixtures.acme().overagePercent("users", 10).build(), WebSettings.defaults())) {
      h.licenses.reportUsage(Map.of("users", 262L));
      JsonNode banner = h.standing().get("banner");
      assertThat(banner.get("level").asText()).isEqualTo("WARNING");
      assertThat(banner.get("text").asText())
          .isEqualTo(
              "users: 262 in use, above the licensed 250; the 10% overage allowance permits up"
                  + " to 275. Ask your vendor to raise the limit.");

      h.licenses.reportUsage(Map.of("users", 300L));
      assertThat(h.standing().get("banner").get("level").asText()).isEqualTo("DANGER");
      String page = h.answer(TestRequest.page("/license/")).bodyText();
      assertThat(page)
          .contains("<dt>Usage: users</dt><dd>300 of 250 (up to 275 with the 10% allowance)</dd>")
          .contains("data-kt-usage-report>Export usage report</button>");
    }
  }

  @Test
  void the_export_button_downloads_a_signed_report_and_numbers_each_export() {
    try (Harness h = Harness.withAcme(dir)) {
      h.licenses.reportUsage(Map.of("users", 120L));
      h.clock.advance(Duration.ofDays(40));
      h.licenses.reportUsage(Map.of("users", 130L));

      WebResponse first = h.answer(TestRequest.post("/license/usage-report"));
      WebResponse second = h.answer(TestRequest.post("/license/usage-report"));

      assertThat(first.status()).isEqualTo(200);
      assertThat(first.headers().get("Content-Disposition"))
          .startsWith("attachment; filename=\"usage-report-")
          .endsWith("-1.usage.json\"");
      UsageReport report = SignedUsageReport.read(first.body()).verify();
      assertThat(report.months()).hasSize(2);
      assertThat(report.peak("users")).contains(130L);
      assertThat(SignedUsageReport.read(second.body()).verify().sequence()).isEqualTo(2);
    }
  }

  @Test
  void the_export_refuses_cross_site_posts_and_gets() {
    try (Harness h = Harness.withAcme(dir)) {
      assertThat(h.answer(TestRequest.api("GET", "/license/usage-report")).status()).isEqualTo(405);
      assertThat(
              h.answer(
                      TestRequest.post("/license/usage-report")
                          .header("Origin", "https://evil.example"))
                  .status())
          .isEqualTo(403);
    }
  }
}
