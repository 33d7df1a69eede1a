package dev.keyturn.cli.license;

import dev.keyturn.cli.args.GraceModeArg;
import dev.keyturn.cli.args.InstanceDomainArg;
import dev.keyturn.cli.args.InstantArg;
import dev.keyturn.cli.args.KeyIdArg;
import dev.keyturn.cli.args.PresetArg;
import dev.keyturn.core.crypto.SigningKey;
import dev.keyturn.core.license.GraceMode;
import dev.keyturn.core.license.License;
import dev.keyturn.core.license.LicenseFormatException;
import dev.keyturn.core.license.LicensePolicy;
import dev.keyturn.core.license.LicenseReader;
import dev.keyturn.core.license.SignedLicense;
import dev.keyturn.core.lifecycle.Policy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code keyturn license issue}: signs a new license file. */
@Command(
    name = "issue",
    sortOptions = false,
    description = {
      "Issue a signed license file (.license.toml).",
      "Dates: 2027-11-22T00:00:00Z, 2027-11-22T09:00:00+01:00, or 2027-11-22 (midnight UTC)."
    },
    footerHeading = "%nExample:%n",
    footer = {
      "  keyturn license issue --signing-key keys/2026-a.private.pem \\",
      "      --customer 'Acme Corp' --subscription sub_acme --tier medium --seats 250 \\",
      "      --feature sso --limit users=250 --instance-domain tools.acme.example \\",
      "      --days 365 --out acme.license.toml"
    })
public final class IssueCommand implements Callable<Integer> {
  private final Clock clock;
  private final RandomGenerator random;

  @Spec private CommandSpec spec;

  @Option(
      names = "--signing-key",
      required = true,
      paramLabel = "FILE",
      description = "The private key, <id>.private.pem.")
  private Path signingKey;

  @Option(
      names = "--key-id",
      paramLabel = "ID",
      converter = KeyIdArg.class,
      description =
          "Key id to name in the license (default: the key file's name before .private.pem).")
  private String keyId;

  @Option(
      names = "--customer",
      required = true,
      paramLabel = "NAME",
      description = "Customer name.")
  private String customer;

  @Option(
      names = "--subscription",
      required = true,
      paramLabel = "ID",
      description = "The subscription this license belongs to.")
  private String subscription;

  @Option(names = "--tier", required = true, paramLabel = "T", description = "Tier, e.g. medium.")
  private String tier;

  @Option(
      names = "--seats",
      required = true,
      paramLabel = "N",
      description = "Number of seats; 0 means unlimited.")
  private long seats;

  @Option(names = "--feature", paramLabel = "F", description = "A feature to grant (repeatable).")
  private List<String> features = new ArrayList<>();

  @Option(
      names = "--limit",
      paramLabel = "NAME=N",
      description = "A named numeric limit, e.g. users=250 (repeatable).")
  private Map<String, Long> limits = new LinkedHashMap<>();

  @Option(names = "--tag", paramLabel = "T", description = "A tag such as trial (repeatable).")
  private List<String> tags = new ArrayList<>();

  @Option(
      names = "--instance-domain",
      paramLabel = "D",
      converter = InstanceDomainArg.class,
      description = "Bind the license to this instance (host name).")
  private String instanceDomain;

  @Option(
      names = "--not-before",
      paramLabel = "ISO",
      converter = InstantArg.class,
      description = "Start of validity (default: now).")
  private Instant notBefore;

  @ArgGroup(exclusive = true, multiplicity = "1")
  private Validity validity;

  @Option(
      names = "--preset",
      paramLabel = "P",
      converter = PresetArg.class,
      completionCandidates = PresetArg.Names.class,
      defaultValue = "appliance",
      description = "Lifecycle preset: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  private Policy preset;

  @Option(
      names = "--grace-days",
      paramLabel = "N",
      description = "Days of grace after expiry (default: the preset's, 60 or 7).")
  private Integer graceDays;

  @Option(
      names = "--grace-mode",
      paramLabel = "M",
      converter = GraceModeArg.class,
      completionCandidates = GraceModeArg.Names.class,
      description = "${COMPLETION-CANDIDATES} during grace (default: the preset's).")
  private GraceMode graceMode;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "File to write.")
  private Path out;

  @Option(names = "--force", description = "Replace --out if it exists.")
  private boolean force;

  /** Exactly one way to say when the license ends. */
  static final class Validity {
    @Option(
        names = "--expires-at",
        required = true,
        paramLabel = "ISO",
        converter = InstantArg.class,
        description = "End of validity.")
    Instant expiresAt;

    @Option(
        names = "--days",
        required = true,
        paramLabel = "N",
        description = "Valid for N days of 24 hours from --not-before.")
    Integer days;
  }

  public IssueCommand(Clock clock, RandomGenerator random) {
    this.clock = clock;
    this.random = random;
  }

  @Override
  public Integer call() {
    Instant now = clock.instant();
    License license = license(now);
    // Read the key only once the options are known to be good, so a usage error never needs it.
    SigningKey key = SigningKey.read(signingKey, keyId);
    SignedLicense signed = key.sign(license);
    String text = signed.toToml();
    requireReadable(text);
    LicenseFiles.write(out, text, force);

    PrintWriter stdout = spec.commandLine().getOut();
    stdout.println(summary(license, key.keyId()));
    stdout.flush();
    if (!license.expiresAt().isAfter(now)) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("keyturn: note: this license has already expired (" + license.expiresAt() + ")");
      err.flush();
    }
    return 0;
  }

  private License license(Instant now) {
    Instant start = notBefore != null ? notBefore : now;
    Instant end;
    if (validity.days != null) {
      if (validity.days < 1) {
        throw usage("--days must be 1 or more, was " + validity.days);
      }
      end = start.plus(Duration.ofDays(validity.days));
    } else {
      end = validity.expiresAt;
    }
    if (!end.isAfter(start)) {
      throw usage(
          "--expires-at ("
              + end
              + ") must be after "
              + (notBefore != null ? "--not-before (" : "now (")
              + start
              + ")");
    }
    if (seats < 0) {
      throw usage("--seats must be 0 (unlimited) or more, was " + seats);
    }
    int grace = graceDays != null ? graceDays : preset.graceDays();
    if (grace < 0 || grace > Policy.MAX_GRACE_DAYS) {
      throw usage("--grace-days must be 0 to " + Policy.MAX_GRACE_DAYS + ", was " + grace);
    }
    limits.forEach(
        (name, value) -> {
          if (value < 0) {
            throw usage("--limit " + name + " must be 0 or more, was " + value);
          }
        });
    GraceMode mode = graceMode != null ? graceMode : preset.graceMode();
    try {
      License license =
          License.builder()
              .id(LicenseIds.next(clock, random))
              .subscriptionId(subscription)
              .customer(customer)
              .instanceDomain(instanceDomain)
              .tier(tier)
              .seats(seats)
              .features(features)
              .tags(tags)
              .issuedAt(now)
              .notBefore(start)
              .expiresAt(end)
              .limits(limits)
              .policy(new LicensePolicy(preset.name(), grace, mode))
              .build();
      // Builds the table that will be signed, which checks every key name (e.g. of --limit).
      SignedLicense.canonicalBytes(license);
      return license;
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  /**
   * Refuses to write a file that readers would reject (a value past the read limits, a limit name
   * that is not a plain key): better a clear error now than a customer's product refusing it later.
   */
  private void requireReadable(String text) {
    try {
      new LicenseReader().read(text);
    } catch (LicenseFormatException | IllegalArgumentException e) {
      throw usage("the license would not be readable: " + e.getMessage());
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  private String summary(License l, String signedWith) {
    return "Issued "
        + l.id()
        + " for "
        + l.customer()
        + " ("
        + l.subscriptionId()
        + ", tier "
        + l.tier()
        + ", "
        + (l.seats() == 0 ? "unlimited seats" : l.seats() == 1 ? "1 seat" : l.seats() + " seats")
        + "), valid "
        + l.notBefore()
        + " to "
        + l.expiresAt()
        + ", "
        + l.policy().preset()
        + " policy with "
        + l.policy().graceDays()
        + " days "
        + l.policy().graceMode().tomlName()
        + " grace, signed with key "
        + signedWith
        + ": "
        + out;
  }
}
