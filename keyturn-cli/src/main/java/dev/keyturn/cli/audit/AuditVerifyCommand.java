package dev.keyturn.cli.audit;

import dev.keyturn.cli.Json;
import dev.keyturn.client.audit.AuditLog;
import dev.keyturn.client.audit.AuditVerification;
import dev.keyturn.client.store.StateStore;
import dev.keyturn.core.KeyturnException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keyturn audit verify}: walks the hash chain of a product's audit log. */
@Command(
    name = "verify",
    sortOptions = false,
    description = {
      "Check that a product's audit log is complete and unchanged.",
      "Each line of audit.log carries the hash of the line before it, and the",
      "signed state file records the last one. Reads only. Exits 0 when intact,",
      "1 with the first line that was changed, removed or torn."
    },
    footerHeading = "%nExample:%n",
    footer = "  keyturn audit verify --state-dir /var/lib/acme/license")
public final class AuditVerifyCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--state-dir",
      required = true,
      paramLabel = "DIR",
      description = "The product's license state directory.")
  private Path stateDir;

  @Option(
      names = "--json",
      description = "Print {\"intact\", \"lines\", \"broken_line\", \"message\"} as JSON.")
  private boolean json;

  /**
   * The JSON document.
   *
   * @param brokenLine the first line changed, removed or torn (from 1); null when intact
   */
  public record Result(boolean intact, long lines, Long brokenLine, String message) {}

  @Override
  public Integer call() {
    // A mistyped directory has no log at all, which would otherwise read as an intact empty one.
    if (!Files.isDirectory(stateDir)) {
      throw new KeyturnException("no such directory: " + stateDir);
    }
    AuditVerification v = AuditLog.verify(stateDir);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(
          Json.write(
              new Result(
                  v.intact(),
                  v.lines(),
                  v.brokenLine().isPresent() ? v.brokenLine().getAsLong() : null,
                  v.message())));
    } else if (v.intact()) {
      out.println(stateDir.resolve(AuditLog.FILE) + ": " + v.message());
      Path secret = stateDir.resolve(StateStore.KEY_FILE);
      if (Files.exists(secret) && !Files.isReadable(secret)) {
        // Without the secret the state file's record of the last line cannot be trusted.
        PrintWriter err = spec.commandLine().getErr();
        err.println(
            "keyturn: note: this user cannot read "
                + secret
                + ", so lines cut from the end of the log cannot be detected; run as the"
                + " product's user");
        err.flush();
      }
    } else {
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "keyturn: "
              + stateDir.resolve(AuditLog.FILE)
              + " is broken at line "
              + v.brokenLine().getAsLong()
              + " ("
              + v.lines()
              + " lines): "
              + v.message());
      err.flush();
    }
    out.flush();
    return v.intact() ? 0 : 1;
  }
}
