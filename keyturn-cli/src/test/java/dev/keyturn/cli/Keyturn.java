package dev.keyturn.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs the real command tree in-process, on a settable clock, and captures what it prints: the same
 * path as {@code bin/keyturn}, minus the JVM start.
 */
final class Keyturn {
  /** The day the tests issue licenses on. */
  static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  final SettableClock clock = new SettableClock(NOW);

  record Result(int exitCode, String out, String err) {}

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Cli.commandLine(clock, new SecureRandom());
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

  /**
   * Issues the DESIGN §3 example license (Acme, one year from 2026-11-22, appliance preset) with
   * any extra options; returns the result.
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
