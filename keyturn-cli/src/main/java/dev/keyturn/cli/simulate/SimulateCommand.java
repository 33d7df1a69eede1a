package dev.keyturn.cli.simulate;

import dev.keyturn.cli.Json;
import dev.keyturn.cli.Text;
import dev.keyturn.cli.args.GraceModeArg;
import dev.keyturn.cli.args.InstantArg;
import dev.keyturn.cli.args.PresetArg;
import dev.keyturn.cli.args.ZoneArg;
import dev.keyturn.cli.license.LicenseFiles;
import dev.keyturn.core.license.GraceMode;
import dev.keyturn.core.license.License;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.core.lifecycle.Stage;
import dev.keyturn.core.lifecycle.Standing;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code keyturn simulate}: what a customer will see and receive, stage by stage. */
@Command(
    name = "simulate",
    sortOptions = false,
    description = {
      "Preview what a customer will see and receive over a license's life.",
      "Prints the standing at --from, then every instant up to --to where the stage changes,",
      "with phase, banner, mode and the notice the server sends then.",
      "Give a license file, or just an expiry and a policy.",
      "Dates: 2027-11-22T00:00:00Z, 2027-11-22T09:00:00+01:00, or 2027-11-22 (midnight UTC)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  keyturn simulate --license acme.license.toml --from 2027-01-01 --to 2028-03-01",
      "  keyturn simulate --expires-at 2027-11-22 --preset subscription \\",
      "      --from 2027-10-01 --to 2027-12-31 --zone Europe/Berlin --json"
    })
public final class SimulateCommand implements Callable<Integer> {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

  @Spec private CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  private Source source;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "ISO",
      converter = InstantArg.class,
      description = "Start of the preview.")
  private Instant from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "ISO",
      converter = InstantArg.class,
      description = "End of the preview (included).")
  private Instant to;

  @Option(
      names = "--zone",
      paramLabel = "ZONE",
      converter = ZoneArg.class,
      defaultValue = "UTC",
      description =
          "Time zone of the viewer, for times and banner texts (default: ${DEFAULT-VALUE}).")
  private ZoneId zone;

  @Option(names = "--json", description = "Print a JSON array, one object per change.")
  private boolean json;

  /** A license file, or a bare expiry with a policy. */
  static final class Source {
    @Option(
        names = "--license",
        required = true,
        paramLabel = "FILE",
        description = "A license file; its dates and signed policy are used (not verified).")
    Path license;

    @ArgGroup(exclusive = false, multiplicity = "1")
    Window window;
  }

  /** A license that does not exist yet: valid from --from until --expires-at. */
  static final class Window {
    @Option(
        names = "--expires-at",
        required = true,
        paramLabel = "ISO",
        converter = InstantArg.class,
        description = "Expiry of a hypothetical license valid from --from.")
    Instant expiresAt;

    @Option(
        names = "--preset",
        paramLabel = "P",
        converter = PresetArg.class,
        completionCandidates = PresetArg.Names.class,
        defaultValue = "appliance",
        description = "Policy preset: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Policy preset;

    @Option(
        names = "--grace-days",
        paramLabel = "N",
        description = "Days of grace (default: the preset's).")
    Integer graceDays;

    @Option(
        names = "--grace-mode",
        paramLabel = "M",
        converter = GraceModeArg.class,
        completionCandidates = GraceModeArg.Names.class,
        description = "${COMPLETION-CANDIDATES} during grace (default: the preset's).")
    GraceMode graceMode;
  }

  /**
   * One change in the JSON output; {@code stage} and {@code notice} are null when there is none.
   */
  public record Row(
      String at,
      String phase,
      String stage,
      String bannerLevel,
      String dismissal,
      String mode,
      long daysUntilExpiry,
      long daysUntilLock,
      String notice,
      String bannerText) {}

  @Override
  public Integer call() {
    if (!to.isAfter(from)) {
      throw usage("--to (" + to + ") must be after --from (" + from + ")");
    }
    Instant notBefore;
    Instant expiresAt;
    Policy policy;
    String subject;
    if (source.license != null) {
      License license = LicenseFiles.read(source.license).license();
      notBefore = license.notBefore();
      expiresAt = license.expiresAt();
      policy = Policy.forLicense(license.policy());
      subject = "License " + license.id() + " (" + license.customer() + ")";
    } else {
      Window w = source.window;
      notBefore = from;
      expiresAt = w.expiresAt;
      if (!expiresAt.isAfter(notBefore)) {
        throw usage(
            "--expires-at ("
                + expiresAt
                + ") must be after --from ("
                + from
                + "): the previewed license starts at --from");
      }
      int days = w.graceDays != null ? w.graceDays : w.preset.graceDays();
      if (days < 0 || days > Policy.MAX_GRACE_DAYS) {
        throw usage("--grace-days must be 0 to " + Policy.MAX_GRACE_DAYS + ", was " + days);
      }
      policy = w.preset.withGrace(days, w.graceMode != null ? w.graceMode : w.preset.graceMode());
      subject = "A license valid from " + when(notBefore);
    }

    List<Timeline.Entry> entries = Timeline.between(notBefore, expiresAt, policy, from, to, zone);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(entries.stream().map(SimulateCommand::row).toList()));
    } else {
      out.println(subject + ", expiring " + when(expiresAt) + ":");
      out.println(
          "policy "
              + policy.name()
              + ", "
              + policy.graceDays()
              + " days of "
              + policy.graceMode().tomlName()
              + " grace, locks "
              + when(expiresAt.plus(policy.gracePeriod()))
              + "; times in "
              + zone.getId());
      out.println();
      Text.table(
          out,
          List.of("WHEN", "PHASE", "STAGE", "BANNER", "DISMISSAL", "MODE", "NOTICE", "BANNER TEXT"),
          entries.stream().map(this::cells).toList());
    }
    out.flush();
    return 0;
  }

  private List<String> cells(Timeline.Entry e) {
    Standing s = e.standing();
    return List.of(
        when(e.at()),
        s.phase().name(),
        s.stage().map(Stage::id).orElse("-"),
        s.banner().level().name(),
        s.banner().dismissal().name(),
        s.mode().name(),
        e.notice().map(Stage::id).orElse("-"),
        s.banner().text());
  }

  private static Row row(Timeline.Entry e) {
    Standing s = e.standing();
    return new Row(
        e.at().toString(),
        s.phase().name(),
        s.stage().map(Stage::id).orElse(null),
        s.banner().level().name(),
        s.banner().dismissal().name(),
        s.mode().name(),
        s.daysUntilExpiry(),
        s.daysUntilLock(),
        e.notice().map(Stage::id).orElse(null),
        s.banner().text());
  }

  private String when(Instant instant) {
    return WHEN.format(instant.atZone(zone).toOffsetDateTime());
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
