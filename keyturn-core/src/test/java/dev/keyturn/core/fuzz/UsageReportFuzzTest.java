package dev.keyturn.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keyturn.core.usage.SignedUsageReport;
import dev.keyturn.core.usage.UsageReport;
import dev.keyturn.core.usage.UsageReportException;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * Whatever bytes a customer uploads as a usage report, the reader answers with a report or a {@link
 * UsageReportException}: never another exception, a stack overflow or a hang. Seeds in {@code
 * UsageReportFuzzTestInputs/} (a real report signed with a throwaway key, pretty-printed, and
 * hostile shapes); the build fuzzes it as it does the license reader (keyturn-core/pom.xml).
 */
class UsageReportFuzzTest {
  private static final String SEEDS =
      "UsageReportFuzzTestInputs/read_throws_nothing_but_usage_report_exception/";

  @FuzzTest(maxDuration = "30s")
  void read_throws_nothing_but_usage_report_exception(byte[] input) {
    try {
      SignedUsageReport read = SignedUsageReport.read(input);
      holdsTogether(read);
      try {
        read.verify();
      } catch (UsageReportException e) {
        assertThat(e.code()).isNotNull();
      }
    } catch (UsageReportException e) {
      assertThat(e.getMessage()).isNotBlank();
      assertThat(e.code()).isNotNull();
    }
  }

  @Test
  void the_valid_seeds_are_reports_that_verify_so_the_fuzzer_starts_from_real_ones()
      throws IOException {
    for (String name : new String[] {"valid.usage.json", "valid_pretty.usage.json"}) {
      byte[] bytes;
      try (InputStream in = getClass().getResourceAsStream(SEEDS + name)) {
        assertThat(in).as(name).isNotNull();
        bytes = in.readAllBytes();
      }

      UsageReport report = SignedUsageReport.read(bytes).verify();

      assertThat(report.sequence()).isEqualTo(4);
      assertThat(report.peak("users")).contains(262L);
    }
  }

  /** An accepted report's payload is what it was read from, and writing it reads back the same. */
  private static void holdsTogether(SignedUsageReport read) {
    SignedUsageReport again =
        SignedUsageReport.read(read.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(again).isEqualTo(read);
    assertThat(again.unverifiedReport()).isEqualTo(read.unverifiedReport());
  }
}
