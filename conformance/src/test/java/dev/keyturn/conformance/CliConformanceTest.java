package dev.keyturn.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyturn.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The Java {@code keyturn} command passes its own CLI vectors, run as an SDK runs them. */
class CliConformanceTest {
  private static final JsonNode VECTORS = CommittedVectors.read("cli.json");

  @TempDir Path tmp;

  @TestFactory
  Stream<DynamicTest> each_scenario_gives_the_recorded_exit_codes_and_output() {
    return StreamSupport.stream(VECTORS.path("scenarios").spliterator(), false)
        .map(s -> DynamicTest.dynamicTest(s.path("name").asText(), () -> run(s)));
  }

  private void run(JsonNode scenario) throws Exception {
    Path dir = Files.createDirectory(tmp.resolve(scenario.path("name").asText()));
    for (Iterator<Map.Entry<String, JsonNode>> it = scenario.path("files").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      Path p = dir.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, Base64.getDecoder().decode(f.getValue().asText()));
    }
    for (JsonNode d : scenario.path("dirs")) {
      Files.createDirectories(dir.resolve(d.asText()));
    }
    String root = dir.toString();
    for (JsonNode step : scenario.path("steps")) {
      String[] args =
          StreamSupport.stream(step.path("argv").spliterator(), false)
              .map(a -> a.asText().replace(CliVectors.DIR, root))
              .toArray(String[]::new);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cli =
          Cli.commandLine(
              Clock.fixed(Instant.parse(step.path("now").asText()), ZoneOffset.UTC), new Random(0));
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      int exit = cli.execute(args);
      String what = String.join(" ", args);
      assertThat(exit).as(what).isEqualTo(step.path("exit_code").asInt());
      String stdout = out.toString().replace(root, CliVectors.DIR);
      if (!step.path("stdout_json").isNull()) {
        JsonNode actual = CliVectors.normalized(JsonOut.MAPPER.readTree(stdout));
        assertThat(CommittedVectors.parse(actual)).as(what).isEqualTo(step.path("stdout_json"));
      } else {
        assertThat(stdout).as(what).isEqualTo(step.path("stdout").asText());
      }
      assertThat(err.toString().replace(root, CliVectors.DIR))
          .as(what)
          .isEqualTo(step.path("stderr").asText());
    }
  }
}
