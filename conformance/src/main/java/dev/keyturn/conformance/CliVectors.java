package dev.keyturn.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyturn.cli.Cli;
import dev.keyturn.core.crypto.Pem;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * {@code vectors/cli.json}: the command-line contract of {@code keyturn license verify}, {@code
 * keyturn status} and {@code keyturn install}, recorded by running the Java CLI in-process on a
 * fixed clock in a scratch folder.
 */
final class CliVectors {
  static final String DIR = "${DIR}";

  private record Step(String now, List<String> argv) {}

  private record Scenario(
      String name,
      String description,
      Map<String, byte[]> files,
      List<String> dirs,
      List<Step> steps) {}

  private CliVectors() {}

  static ObjectNode build() {
    ObjectNode root =
        Vectors.header(
            "cli",
            "The keyturn command line: license verify, status and install. Arguments, exit codes,"
                + " --json output.");
    ObjectNode codes = root.putObject("exit_codes");
    codes.put("verify", "0 only for VALID; 1 for every other code or a failure; 2 usage error");
    codes.put("status", "0 full, 3 read-only, 4 locked, 1 error, 2 usage error");
    codes.put("install", "0 installed, 1 refused or failed, 2 usage error");
    ArrayNode out = root.putArray("scenarios");
    for (Scenario s : scenarios()) {
      out.add(run(s));
    }
    return root;
  }

  private static List<Scenario> scenarios() {
    String base = Fixtures.base().toToml();
    String subscription = Fixtures.subscription().toToml();
    String renewal = Fixtures.renewal().toToml();
    String tampered = VerificationVectors.replace(base, "seats = 25", "seats = 26");
    String rogue =
        Fixtures.signingKey(Fixtures.ROGUE_KEY).sign(Fixtures.baseLicense().build()).toToml();

    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String id : Fixtures.KEY_RINGS.get("default")) {
      files.put(
          "keys/" + id + ".public.pem",
          Pem.publicKey(Fixtures.pair(id).getPublic()).getBytes(StandardCharsets.US_ASCII));
    }
    files.put("base.license.toml", utf8(base));
    files.put("subscription.license.toml", utf8(subscription));
    files.put("renewal.license.toml", utf8(renewal));
    files.put("tampered.license.toml", utf8(tampered));
    files.put("rogue.license.toml", utf8(rogue));
    files.put("malformed.license.toml", utf8("format = 1\n[license]\nid = \n"));

    String mid = Fixtures.MID_TERM.toString();
    // Arguments never contain spaces here, so each command line is written as one string.
    String file = DIR + "/%s.license.toml --trust " + DIR + "/keys";
    // Every status and install names its zone: the default is the machine's, which differs between
    // runs.
    String product = "--state-dir " + DIR + "/state --trust " + DIR + "/keys --zone UTC";
    String appliance =
        "--state-dir "
            + DIR
            + "/state --trust "
            + DIR
            + "/keys --instance-domain tools.acme.example";
    List<Scenario> out = new ArrayList<>();
    out.add(
        new Scenario(
            "verify",
            "keyturn license verify FILE --trust DIR_OR_PEM [--at ISO] [--instance-domain D] [--json]",
            files,
            List.of(),
            List.of(
                step(
                    mid,
                    "license verify "
                        + file.formatted("base")
                        + " --instance-domain tools.acme.example --json"),
                step(mid, "license verify " + file.formatted("base") + " --at 2027-11-22 --json"),
                step(
                    mid,
                    "license verify "
                        + file.formatted("base")
                        + " --at 2026-11-21T23:59:59Z --json"),
                step(
                    mid,
                    "license verify "
                        + file.formatted("base")
                        + " --at 2027-06-01T09:00:00+09:00 --instance-domain other.example --json"),
                step(
                    mid,
                    "license verify "
                        + DIR
                        + "/base.license.toml --trust "
                        + DIR
                        + "/keys/2025-a.public.pem --json"),
                step(mid, "license verify " + file.formatted("tampered") + " --json"),
                step(mid, "license verify " + file.formatted("rogue") + " --json"),
                step(mid, "license verify " + file.formatted("malformed") + " --json"),
                step(mid, "license verify " + file.formatted("missing") + " --json"),
                step(mid, "license verify " + file.formatted("base")),
                step(mid, "license verify " + file.formatted("tampered")),
                step(mid, "license verify " + DIR + "/base.license.toml --json"),
                step(mid, "license verify " + file.formatted("base") + " --at yesterday"))));
    out.add(
        new Scenario(
            "appliance-lifecycle",
            "install, then status through the appliance policy: full, expiring, grace, locked; a renewal unlocks",
            files,
            List.of("state"),
            List.of(
                step(mid, "status " + product + " --json"),
                step(mid, "install " + DIR + "/tampered.license.toml " + product + " --json"),
                step(
                    mid,
                    "install " + DIR + "/base.license.toml " + appliance + " --zone UTC --json"),
                step(mid, "status " + appliance + " --zone UTC --json"),
                step(
                    "2027-11-01T08:00:00Z", "status " + appliance + " --zone Europe/Berlin --json"),
                step("2027-11-21T12:00:00Z", "status " + appliance + " --zone Asia/Tokyo --json"),
                step("2027-12-01T00:00:00Z", "status " + appliance + " --zone UTC --json"),
                step("2028-02-01T00:00:00Z", "status " + appliance + " --zone UTC --json"),
                step("2028-02-01T00:00:00Z", "status " + appliance + " --zone UTC"),
                step(
                    "2028-02-01T00:00:00Z",
                    "install " + DIR + "/renewal.license.toml " + appliance + " --zone UTC --json"),
                step("2028-02-01T00:00:00Z", "status " + appliance + " --zone UTC --json"))));
    out.add(
        new Scenario(
            "subscription-read-only",
            "a subscription license: read-only grace gives status exit 3, then suspended gives 4",
            files,
            List.of("state"),
            List.of(
                step(mid, "install " + DIR + "/subscription.license.toml " + product + " --json"),
                step("2027-11-25T00:00:00Z", "status " + product + " --json"),
                step("2027-11-25T00:00:00Z", "status " + product),
                step("2027-12-01T00:00:00Z", "status " + product + " --json"))));
    Map<String, byte[]> usageFiles = new LinkedHashMap<>(files);
    usageFiles.putAll(UsageVectors.productState("state/"));
    usageFiles.put("downgrade.license.toml", utf8(Fixtures.downgrade().toToml()));
    usageFiles.put("overage.license.toml", utf8(Fixtures.overage().toToml()));
    String day2 = "2027-06-02T12:00:00Z";
    out.add(
        new Scenario(
            "recorded-usage",
            "the product recorded projects = 105 (limit 100) at 2027-06-01T11:00:00Z in its state"
                + " (usage.json): status shows it over the allowance; a downgrade below it is"
                + " refused, naming the record's time, and after 24 hours as too old to trust; a"
                + " license with a 10% overage allowance installs and turns it into a warning",
            usageFiles,
            List.of(),
            List.of(
                step("2027-06-01T12:00:00Z", "status " + appliance + " --zone UTC --json"),
                step(
                    "2027-06-01T12:00:00Z",
                    "install "
                        + DIR
                        + "/downgrade.license.toml "
                        + appliance
                        + " --zone UTC --json"),
                step(
                    day2,
                    "install "
                        + DIR
                        + "/downgrade.license.toml "
                        + appliance
                        + " --zone UTC --json"),
                step(
                    day2,
                    "install " + DIR + "/downgrade.license.toml " + appliance + " --zone UTC"),
                step(
                    day2,
                    "install "
                        + DIR
                        + "/overage.license.toml "
                        + appliance
                        + " --zone UTC --json"))));
    out.add(
        new Scenario(
            "errors",
            "a state directory that does not exist, and a missing required option",
            files,
            List.of(),
            List.of(
                step(mid, "status --state-dir " + DIR + "/nowhere --trust " + DIR + "/keys --json"),
                step(
                    mid,
                    "install "
                        + DIR
                        + "/base.license.toml --state-dir "
                        + DIR
                        + "/nowhere --trust "
                        + DIR
                        + "/keys --json"),
                step(mid, "status --trust " + DIR + "/keys"))));
    return out;
  }

  private static Step step(String now, String commandLine) {
    return new Step(now, List.of(commandLine.split(" ")));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static ObjectNode run(Scenario s) {
    ObjectNode c = JsonOut.object();
    c.put("name", s.name());
    c.put("description", s.description());
    ObjectNode files = c.putObject("files");
    s.files().forEach((name, bytes) -> files.put(name, Base64.getEncoder().encodeToString(bytes)));
    ArrayNode dirs = c.putArray("dirs");
    s.dirs().forEach(dirs::add);
    ArrayNode steps = c.putArray("steps");
    Path dir = null;
    try {
      dir = Files.createTempDirectory("keyturn-cli-vectors");
      for (Map.Entry<String, byte[]> f : s.files().entrySet()) {
        Path p = dir.resolve(f.getKey());
        Files.createDirectories(p.getParent());
        Files.write(p, f.getValue());
      }
      for (String d : s.dirs()) {
        Files.createDirectories(dir.resolve(d));
      }
      for (Step step : s.steps()) {
        steps.add(runStep(dir, step));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      delete(dir);
    }
    return c;
  }

  private static ObjectNode runStep(Path dir, Step step) {
    String root = dir.toString();
    String[] args = step.argv().stream().map(a -> a.replace(DIR, root)).toArray(String[]::new);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli =
        Cli.commandLine(Clock.fixed(Instant.parse(step.now()), ZoneOffset.UTC), new Random(0));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    ObjectNode o = JsonOut.object();
    o.put("now", step.now());
    ArrayNode argv = o.putArray("argv");
    step.argv().forEach(argv::add);
    o.put("exit_code", exit);
    String stdout = out.toString().replace(root, DIR);
    String stderr = err.toString().replace(root, DIR);
    boolean json = step.argv().contains("--json");
    if (json && exit != 2 && !stdout.isBlank()) {
      try {
        o.set("stdout_json", normalized(JsonOut.MAPPER.readTree(stdout)));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("--json printed no JSON: " + stdout, e);
      }
      // The text would carry the unnormalized evaluated_at; the parsed JSON is the contract.
      o.putNull("stdout");
    } else {
      o.putNull("stdout_json");
      o.put("stdout", stdout);
    }
    o.put("stderr", stderr);
    return o;
  }

  /**
   * The client's clock guard credits the real time that passed while the command ran, so {@code
   * evaluated_at} is the fixed clock plus some milliseconds (seconds on a busy machine): within a
   * minute after {@code clock_time} it is written as {@code clock_time}.
   */
  static JsonNode normalized(JsonNode node) {
    if (node instanceof ObjectNode o) {
      if (o.path("evaluated_at").isTextual() && o.path("clock_time").isTextual()) {
        Instant evaluated = Instant.parse(o.path("evaluated_at").asText());
        Instant clock = Instant.parse(o.path("clock_time").asText());
        if (!evaluated.isBefore(clock) && evaluated.isBefore(clock.plusSeconds(60))) {
          o.put("evaluated_at", clock.toString());
        }
      }
      o.forEach(CliVectors::normalized);
    } else if (node != null && node.isArray()) {
      node.forEach(CliVectors::normalized);
    }
    return node;
  }

  static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
