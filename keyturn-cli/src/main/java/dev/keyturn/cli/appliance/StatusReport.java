package dev.keyturn.cli.appliance;

import dev.keyturn.cli.Text;
import dev.keyturn.client.BannerView;
import dev.keyturn.client.ClientStanding;
import dev.keyturn.client.StandingFlag;
import dev.keyturn.client.store.LicenseFiles;
import dev.keyturn.client.store.StateStore;
import dev.keyturn.core.license.License;
import dev.keyturn.core.lifecycle.Mode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Help.Ansi.IStyle;
import picocli.CommandLine.Help.Ansi.Style;

/** The standing as an admin reads it: one colored headline, then the facts behind it. */
final class StatusReport {
  /** What {@code status} exits with when the product is read-only. */
  static final int EXIT_READ_ONLY = 3;

  /** What {@code status} exits with when the product is locked. */
  static final int EXIT_LOCKED = 4;

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm z", Locale.ENGLISH);

  private StatusReport() {}

  /** 0 in full mode, 3 read-only, 4 locked: a monitoring script needs nothing else. */
  static int exitCode(Mode mode) {
    return switch (mode) {
      case FULL -> 0;
      case READ_ONLY -> EXIT_READ_ONLY;
      case LOCKED -> EXIT_LOCKED;
    };
  }

  /**
   * The status line: the client's summary, saying "locked" whenever the product is (the summary
   * alone says "no license" or "not yet valid" then) and "read-only" during a read-only grace.
   */
  static String headline(ClientStanding s) {
    String summary = s.summary();
    return switch (s.mode()) {
      case FULL -> summary;
      case READ_ONLY -> summary + " (read-only)";
      case LOCKED -> summary.startsWith("locked") ? summary : "locked: " + summary;
    };
  }

  static void print(PrintWriter out, ClientStanding s, Path stateDir, ZoneId zone, boolean color) {
    out.println(color ? paint(headline(s), headlineStyle(s)) : headline(s));
    List<String[]> rows = new ArrayList<>();
    if (s.license().isPresent()) {
      License l = s.license().get();
      rows.add(row("customer", l.customer()));
      rows.add(row("license", l.id()));
      rows.add(row("tier", l.tier()));
      rows.add(row("expires", when(l.expiresAt(), zone)));
      s.locksAt().ifPresent(t -> rows.add(row("locks", when(t, zone))));
    } else {
      rows.add(row("license", "none installed"));
      rows.add(row("hint", noLicenseHint(stateDir)));
    }
    rows.add(row("mode", modeText(s.mode())));
    String flags =
        s.flags().isEmpty()
            ? "none"
            : s.flags().stream().map(StandingFlag::name).collect(Collectors.joining(", "));
    rows.add(row("flags", color && !s.flags().isEmpty() ? paint(flags, Style.fg_yellow) : flags));
    if (s.has(StandingFlag.STATE_RESET) && secretUnreadable(stateDir)) {
      rows.add(
          row(
              "note",
              "this user cannot read "
                  + StateStore.KEY_FILE
                  + ", so the signed state could not be checked (hence STATE_RESET); run as the"
                  + " product's user for the full picture"));
    }
    if (s.has(StandingFlag.CLOCK_ROLLBACK)) {
      rows.add(
          row(
              "clock",
              when(s.clockTime(), zone)
                  + "; licensing uses "
                  + when(s.evaluatedAt(), zone)
                  + ", the latest time seen"));
    }
    rows.add(row("banner", bannerText(s.banner(), zone)));
    Text.fields(out, "  ", rows);
  }

  private static String modeText(Mode mode) {
    return switch (mode) {
      case FULL -> "FULL (the product works normally)";
      case READ_ONLY -> "READ_ONLY (data can be viewed, not changed)";
      case LOCKED -> "LOCKED (lock screen with a paste box; no data is touched)";
    };
  }

  private static String bannerText(BannerView b, ZoneId zone) {
    return switch (b.display()) {
      case NONE -> "none";
      case SHOWN -> b.text();
      case HIDDEN ->
          b.text()
              + b.hiddenUntil().map(t -> " [dismissed until " + when(t, zone) + "]").orElse("");
      case PILL -> b.text() + " [collapsed to a pill: " + b.pillText() + "]";
    };
  }

  /**
   * Files in {@code licenses/} that the product would not use mean the keys or the instance domain
   * given here differ from the product's, which is worth saying before "install one".
   */
  private static String noLicenseHint(Path stateDir) {
    Path dir = stateDir.resolve(LicenseFiles.DIR);
    int files = 0;
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> list = Files.newDirectoryStream(dir, "*" + LicenseFiles.SUFFIX)) {
        for (Path ignored : list) {
          files++;
        }
      } catch (IOException e) {
        return "cannot list " + dir + ": " + e.getMessage();
      }
    }
    if (files > 0) {
      return files
          + " license file(s) in "
          + dir
          + " but none is signed by the trusted keys for this instance: check --trust and"
          + " --instance-domain";
    }
    return "install one with: keyturn install FILE --state-dir " + stateDir + " --trust KEYS";
  }

  /**
   * Status run as another user than the product's cannot read the state's secret (0600), so the
   * client sees a state it cannot verify: say so, or the flag reads like tampering.
   */
  static boolean secretUnreadable(Path stateDir) {
    Path secret = stateDir.resolve(StateStore.KEY_FILE);
    return Files.exists(secret) && !Files.isReadable(secret);
  }

  private static IStyle[] headlineStyle(ClientStanding s) {
    return switch (s.banner().level()) {
      case NONE -> new IStyle[] {Style.bold, Style.fg_green};
      case INFO -> new IStyle[] {Style.bold, Style.fg_cyan};
      case WARNING -> new IStyle[] {Style.bold, Style.fg_yellow};
      case DANGER, LOCK -> new IStyle[] {Style.bold, Style.fg_red};
    };
  }

  private static String paint(String text, IStyle... styles) {
    return Style.on(styles) + text + Style.reset.on();
  }

  private static String when(Instant instant, ZoneId zone) {
    return WHEN.format(instant.atZone(zone));
  }

  private static String[] row(String label, String value) {
    return new String[] {label, value};
  }
}
