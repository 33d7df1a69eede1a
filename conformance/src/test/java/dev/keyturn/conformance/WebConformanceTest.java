package dev.keyturn.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.keyturn.client.SettableClock;
import dev.keyturn.example.appliance.ApplianceApp;
import dev.keyturn.example.appliance.Demo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java appliance example, in demo mode on a random port, passes the HTTP conformance script
 * every integration's example must pass: with full grace (appliance) and read-only grace
 * (subscription).
 */
class WebConformanceTest {
  /** Debian's Python, as .ci/run installs it; the script needs nothing but its standard library. */
  static final Path PYTHON = Path.of("/usr/bin/python3");

  static final Path SCRIPT = Path.of("web", "web_conformance.py");

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"appliance", "subscription"})
  void the_java_example_passes_the_web_conformance_script(String preset) throws Exception {
    requirePython();
    SettableClock clock = new SettableClock(Instant.parse("2027-01-10T09:00:00Z"));
    Demo demo = Demo.create(clock, dir.resolve("vendor-keys"), preset);
    try (ApplianceApp app =
        ApplianceApp.start(
            new ApplianceApp.Config(
                dir,
                "127.0.0.1",
                0,
                clock,
                demo.trustedKeys(),
                web -> web.renewalEmail("renewals@vendor.example"),
                manager -> manager.background(false),
                Optional.of(demo)))) {
      Process p =
          new ProcessBuilder(
                  List.of(
                      PYTHON.toString(),
                      SCRIPT.toString(),
                      app.url().toString(),
                      "--expect-grace",
                      preset.equals("subscription") ? "read-only" : "full"))
              .redirectErrorStream(true)
              .start();
      p.getOutputStream().close();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        fail("the web conformance script did not finish in 2 minutes:\n" + output);
      }
      System.out.println(output);
      assertThat(p.exitValue()).as(output).isZero();
      assertThat(output).contains("0 failed");
    }
  }

  /** Skips locally without Debian's python3; under CI=true its absence is a failure. */
  static void requirePython() throws IOException {
    if (Files.isExecutable(PYTHON)) {
      return;
    }
    String message =
        PYTHON + " is missing: the web conformance script cannot run (apt-get install python3)";
    if ("true".equals(System.getenv("CI"))) {
      fail(message);
    }
    Assumptions.abort(message);
  }
}
