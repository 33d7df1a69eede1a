package dev.keyturn.cli.appliance;

import dev.keyturn.cli.Json;
import dev.keyturn.client.ClientStanding;
import dev.keyturn.client.LicenseManager;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code keyturn status}: what the product says about its license, read from its state directory
 * without writing a byte there (the client's read-only mode), so any user may run it at any time.
 */
@Command(
    name = "status",
    sortOptions = false,
    description = {
      "Show a product's license standing, read from its state directory.",
      "One line (active, expires in N days, expires tomorrow, grace: N days before",
      "lock, locked; clock rollback), then customer, tier, dates, mode, flags and",
      "the banner. Reads only: nothing in the state directory is written.",
      "Exits 0 when the product works normally, 3 when it is read-only (read-only",
      "grace), 4 when it is locked (no license, grace over, revoked), 1 on error."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  keyturn status --state-dir /var/lib/acme/license --trust /etc/acme/keys/",
      "  keyturn status --state-dir /var/lib/acme/license --trust /etc/acme/keys/ \\",
      "      --zone Europe/Berlin --json"
    })
public final class StatusCommand implements Callable<Integer> {
  private final Clock clock;

  @Spec private CommandSpec spec;

  @Mixin private ProductOptions product;

  @Option(names = "--json", description = "Print the standing as a JSON object.")
  private boolean json;

  public StatusCommand(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Integer call() {
    product.requireStateDir("give the directory the product keeps its licenses in");
    ClientStanding standing;
    try (LicenseManager manager = product.manager(clock).readOnly(true).build()) {
      standing = manager.standing();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(StatusView.of(standing)));
    } else {
      boolean color = spec.commandLine().getColorScheme().ansi().enabled();
      StatusReport.print(out, standing, product.stateDir(), product.zone(), color);
    }
    out.flush();
    return StatusReport.exitCode(standing.mode());
  }
}
