package dev.keyturn.cli.appliance;

import dev.keyturn.client.LicenseManager;
import dev.keyturn.core.KeyturnException;
import dev.keyturn.core.usage.MonthlyUsage;
import dev.keyturn.core.usage.SignedUsageReport;
import dev.keyturn.core.usage.UsageReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code keyturn usage export}: writes a usage report (docs/usage-report.md) from the product's
 * state directory, signed by the installation's key, for staff to upload to the vendor's server.
 */
@Command(
    name = "export",
    sortOptions = false,
    description = {
      "Write a usage report for the vendor: the monthly maxima the product recorded,",
      "signed by this installation's key and chained to its audit log (the export",
      "is audited). Each report takes the next sequence number. Upload it in the",
      "vendor's console or API. Run it as the product's OS user."
    },
    footerHeading = "%nExample:%n",
    footer = {
      "  keyturn usage export --state-dir /var/lib/acme/license --trust /etc/acme/keys/ \\",
      "      --out acme-usage.json"
    })
public final class UsageExportCommand implements Callable<Integer> {
  private final Clock clock;

  @Spec private CommandSpec spec;

  @Mixin private ProductOptions product;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description =
          "Where to write the report (an existing file is not replaced); default: stdout.")
  private Path out;

  public UsageExportCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() throws IOException {
    product.requireStateDir("give the directory the product keeps its licenses in");
    if (out != null && Files.exists(out)) {
      throw new KeyturnException(out + " exists; choose another --out, nothing was exported");
    }
    SignedUsageReport signed;
    try (LicenseManager manager = product.manager(clock).build()) {
      signed = manager.exportUsageReport();
    }
    PrintWriter stdout = spec.commandLine().getOut();
    if (out == null) {
      stdout.print(signed.toJson());
    } else {
      Files.writeString(out, signed.toJson(), StandardCharsets.UTF_8);
      UsageReport r = signed.unverifiedReport();
      List<MonthlyUsage> months = r.months();
      stdout.println(
          "Wrote usage report #"
              + r.sequence()
              + " of installation "
              + r.installationId()
              + " for license "
              + r.licenseId()
              + (months.isEmpty()
                  ? " (no usage recorded yet)"
                  : " ("
                      + months.get(0).month()
                      + " to "
                      + months.get(months.size() - 1).month()
                      + ")")
              + " to "
              + out
              + ".");
    }
    stdout.flush();
    return 0;
  }
}
