package dev.keyturn.cli;

import dev.keyturn.client.SettableClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi;

/**
 * Runs the real command tree in-process, on a settable clock, and captures what it prints: the same
 * path as {@code bin/keyturn}, minus the JVM start.
 */
final class Keyturn {
  /** The day the tests issue licenses on. */
  static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  final SettableClock clock = new SettableClock(NOW);

  record Result(int exitCode, String out, String err) {}

  /** Runs without colors, whatever the environment (CLICOLOR_FORCE, a terminal) says. */
  Result run(String... args) {
    return runWith(Ansi.OFF, args);
  }

  Result runWith(Ansi ansi, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Cli.commandLine(clock, new SecureRandom());
    cli.setColorScheme(Help.defaultColorScheme(ansi));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  /** {@code keys generate} into {@code dir}; returns the private key file. */
  Path generateKeys(Path dir, String keyId) {
    Result r = run("keys", "generate", "--key-id", keyId, "--out", dir.toString());
    if (r.exitCode() != 0) {
      throw new AssertionError("keys generate failed: " + r.err());
    }
    return dir.resolve(keyId + ".private.pem");
  }

  /** {@code keyturn install FILE --state-dir DIR --trust KEYS} with any extra options. */
  Result install(Path license, Path stateDir, Path keys, String... extra) {
    return run(with(List.of("install", license.toString()), stateDir, keys, extra));
  }

  /** {@code keyturn status --state-dir DIR --trust KEYS} with any extra options. */
  Result status(Path stateDir, Path keys, String... extra) {
    return run(with(List.of("status"), stateDir, keys, extra));
  }

  private static String[] with(List<String> command, Path stateDir, Path keys, String... extra) {
    List<String> args = new ArrayList<>(command);
    args.addAll(List.of("--state-dir", stateDir.toString(), "--trust", keys.toString()));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  /**
   * Issues the docs/design.md §3 example license (Acme, one year from 2026-11-22, appliance preset)
   * with any extra options; returns the result.
   */
  Result issueAcme(Path signingKey, Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "license",
                "issue",
                "--signing-key",
                signingKey.toString(),
                "--customer",
                "Acme Corp",
                "--subscription",
                "sub_01JD2ACME",
                "--tier",
                "medium",
                "--seats",
                "250",
                "--feature",
                "sso",
                "--feature",
                "audit-export",
                "--limit",
                "users=250",
                "--limit",
                "devices=5000",
                "--instance-domain",
                "tools.acme.example",
                "--not-before",
                "2026-11-22",
                "--out",
                out.toString()));
    if (List.of(extra).stream().noneMatch(a -> a.equals("--days") || a.equals("--expires-at"))) {
      args.addAll(List.of("--expires-at", "2027-11-22T00:00:00Z"));
    }
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }
}
