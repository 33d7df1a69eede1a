package dev.keyturn.cli.appliance;

import dev.keyturn.cli.Json;
import dev.keyturn.cli.license.LicenseFiles;
import dev.keyturn.client.ClientStanding;
import dev.keyturn.client.InstallResult;
import dev.keyturn.client.LicenseManager;
import dev.keyturn.client.LimitExcess;
import dev.keyturn.core.license.License;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code keyturn install}: installs a license file into a product's state directory, with the same
 * checks and the same atomic write as the product's own paste box. The usage check uses the usage
 * the running product recorded in its state ({@code usage.json}), and says how old it is.
 */
@Command(
    name = "install",
    sortOptions = false,
    description = {
      "Install a license file into a product's state directory.",
      "The same checks and atomic write as the product's own paste box: signature,",
      "instance domain, validity; then audited. A locked product unlocks; a running",
      "one picks the license up within a minute. Run it as the product's OS user.",
      "Exits 0 when installed, 1 when refused with one of MALFORMED,",
      "UNSUPPORTED_FORMAT, UNKNOWN_KEY_ID, SIGNATURE_MISMATCH, NOT_YET_VALID,",
      "EXPIRED, INSTANCE_MISMATCH, REVOKED or USAGE_EXCEEDS_LIMITS, and the reason.",
      "A license that lowers a limit is checked against the usage the running",
      "product recorded in its state; a record older than 24 hours is named as too",
      "old to trust. A product that never recorded usage is not checked (a note says so)."
    },
    footerHeading = "%nExample:%n",
    footer = {
      "  keyturn install acme-2028.license.toml --state-dir /var/lib/acme/license \\",
      "      --trust /etc/acme/keys/ --instance-domain tools.acme.example"
    })
public final class InstallCommand implements Callable<Integer> {
  private final Clock clock;

  @Spec private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The .license.toml file.")
  private Path file;

  @Mixin private ProductOptions product;

  @Option(
      names = "--json",
      description = "Print {\"code\", \"message\", \"installed\", …, \"status\"} as JSON.")
  private boolean json;

  public InstallCommand(Clock clock) {
    this.clock = clock;
  }

  /**
   * The JSON document.
   *
   * @param code {@code VALID} when installed, else why not
   * @param inForce whether the license is now the one in force (an older one is kept, not used)
   * @param license null when the file could not be read
   * @param excesses for {@code USAGE_EXCEEDS_LIMITS}: each limit, the recorded usage, the new value
   * @param loweredLimits limits the installed license lowers
   * @param status what is in force now: the new license, or the old one after a refusal
   */
  public record Result(
      String code,
      String message,
      boolean installed,
      boolean inForce,
      LicenseInfo license,
      List<LimitExcess> excesses,
      List<LoweredLimit> loweredLimits,
      StatusView status) {}

  @Override
  public Integer call() {
    product.requireStateDir(
        "give the directory the product keeps its licenses in (create it first if the product"
            + " has never run)");
    LicenseFiles.requireFile(file);
    InstallResult result;
    ClientStanding standing;
    List<LoweredLimit> lowered = List.of();
    try (LicenseManager manager = product.manager(clock).build()) {
      Optional<License> before = manager.standing().license();
      result = manager.install(file);
      standing = manager.standing();
      if (result.inForce()) {
        lowered = LoweredLimit.between(before, result.license().orElseThrow());
      }
    }

    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (json) {
      out.println(
          Json.write(
              new Result(
                  result.code().name(),
                  result.message(),
                  result.installed(),
                  result.inForce(),
                  result.license().map(LicenseInfo::of).orElse(null),
                  result.excesses(),
                  lowered,
                  StatusView.of(standing))));
    } else if (result.installed()) {
      out.println(capitalized(result.message()) + ".");
      if (!lowered.isEmpty() && !result.message().contains("(usage as the product recorded it")) {
        err.println(
            "keyturn: note: this license lowers "
                + lowered.stream().map(LoweredLimit::toString).collect(Collectors.joining(", "))
                + ". The product has not recorded its usage in its state directory, so keyturn"
                + " did not check that usage fits the new limits (the product's own install does).");
        err.flush();
      }
      out.println();
      out.println("In force now:");
      boolean color = spec.commandLine().getColorScheme().ansi().enabled();
      StatusReport.print(out, standing, product.stateDir(), product.zone(), color);
    } else {
      err.println("keyturn: " + result.code() + ": " + result.message());
      err.println(
          "keyturn: nothing was installed; in force: "
              + standing.license().map(l -> l.id() + " (" + l.customer() + "), ").orElse("")
              + StatusReport.headline(standing));
      err.flush();
    }
    out.flush();
    return result.installed() ? 0 : 1;
  }

  private static String capitalized(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
