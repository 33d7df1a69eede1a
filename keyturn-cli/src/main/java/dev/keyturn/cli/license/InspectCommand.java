package dev.keyturn.cli.license;

import dev.keyturn.cli.Json;
import dev.keyturn.cli.Text;
import dev.keyturn.core.license.LicenseFormatException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code keyturn license inspect}: the fields of a license file, without verifying it. */
@Command(
    name = "inspect",
    sortOptions = false,
    description = {
      "Show the fields of a license file, without verifying it.",
      "Nothing here says the license is genuine: use 'keyturn license verify' for that.",
      "Exits 1 with MALFORMED or UNSUPPORTED_FORMAT when the file cannot be read."
    },
    footerHeading = "%nExample:%n",
    footer = "  keyturn license inspect acme.license.toml --json")
public final class InspectCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The .license.toml file.")
  private Path file;

  @Option(
      names = "--json",
      description =
          "Print the license as JSON (on failure: {\"code\", \"message\", \"license\": null}).")
  private boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    LicenseView view;
    try {
      view = LicenseView.of(LicenseFiles.read(file));
    } catch (LicenseFormatException e) {
      if (json) {
        out.println(Json.write(new VerifyCommand.Result(e.code().name(), e.getMessage(), null)));
        out.flush();
      } else {
        PrintWriter err = spec.commandLine().getErr();
        err.println(e.code() + ": " + e.getMessage());
        err.flush();
      }
      return 1;
    }
    if (json) {
      out.println(Json.write(view));
    } else {
      out.println(file + " (not verified; format " + view.format() + ")");
      Text.fields(out, "  ", view.fields());
    }
    out.flush();
    return 0;
  }
}
