package dev.keyturn.cli.license;

import dev.keyturn.cli.Json;
import dev.keyturn.cli.Text;
import dev.keyturn.cli.args.InstanceDomainArg;
import dev.keyturn.cli.args.InstantArg;
import dev.keyturn.core.crypto.KeyRing;
import dev.keyturn.core.license.LicenseFormatException;
import dev.keyturn.core.license.SignedLicense;
import dev.keyturn.core.verify.LicenseVerifier;
import dev.keyturn.core.verify.Verification;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code keyturn license verify}: what a product would say about a license file. */
@Command(
    name = "verify",
    sortOptions = false,
    description = {
      "Verify a license file as a product would.",
      "Checks that it is readable, signed by a trusted key, unchanged, for this instance, and",
      "valid now (or at --at). Exits 0 only when the result is VALID; otherwise prints one of",
      "MALFORMED, UNSUPPORTED_FORMAT, UNKNOWN_KEY_ID, SIGNATURE_MISMATCH, NOT_YET_VALID, EXPIRED",
      "or INSTANCE_MISMATCH with the reason, and exits 1."
    },
    footerHeading = "%nExample:%n",
    footer = {
      "  keyturn license verify acme.license.toml --trust keys/ \\",
      "      --instance-domain tools.acme.example --at 2027-06-01"
    })
public final class VerifyCommand implements Callable<Integer> {
  private final Clock clock;

  @Spec private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The .license.toml file.")
  private Path file;

  @Option(
      names = "--trust",
      required = true,
      paramLabel = "DIR_OR_PEM",
      description = "A trusted public key (<id>.public.pem) or a folder of them (repeatable).")
  private List<Path> trust;

  @Option(
      names = "--at",
      paramLabel = "ISO",
      converter = InstantArg.class,
      description = "Verify as of this instant (default: now).")
  private Instant at;

  @Option(
      names = "--instance-domain",
      paramLabel = "D",
      converter = InstanceDomainArg.class,
      description = "The product's own instance domain, checked against the license's.")
  private String instanceDomain;

  @Option(names = "--json", description = "Print {\"code\", \"message\", \"license\"} as JSON.")
  private boolean json;

  public VerifyCommand(Clock clock) {
    this.clock = clock;
  }

  /** The JSON document; {@code license} is null when the file could not be read. */
  public record Result(String code, String message, LicenseView license) {}

  @Override
  public Integer call() {
    KeyRing.Builder ring = KeyRing.builder();
    trust.forEach(ring::addPath);
    LicenseVerifier verifier = new LicenseVerifier(ring.build());
    Instant when = at != null ? at : clock.instant();

    Verification v;
    try {
      SignedLicense signed = LicenseFiles.read(file);
      v = verifier.verify(signed, when, Optional.ofNullable(instanceDomain));
    } catch (LicenseFormatException e) {
      v = new Verification(e.code(), e.getMessage(), Optional.empty());
    }
    LicenseView view = v.license().map(LicenseView::of).orElse(null);

    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(new Result(v.code().name(), v.message(), view)));
    } else {
      // The verdict goes where a script looks for it, stdout when valid and stderr when not, and
      // the license's fields stay with it: one message, on one stream.
      PrintWriter verdict = v.isValid() ? out : spec.commandLine().getErr();
      verdict.println(v.code() + ": " + v.message());
      if (view != null) {
        Text.fields(verdict, "  ", view.keyFields());
      }
      verdict.flush();
    }
    out.flush();
    return v.isValid() ? 0 : 1;
  }
}
