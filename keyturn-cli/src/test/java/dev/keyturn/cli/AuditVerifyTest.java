package dev.keyturn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keyturn audit verify} on a log written by real installs. */
class AuditVerifyTest {
  private final Keyturn keyturn = new Keyturn();
  @TempDir Path dir;
  private Path stateDir;
  private Path log;

  /** Three lines: installed, install_rejected (a tampered file), installed. */
  @BeforeEach
  void threeInstalls() throws IOException {
    Path keys = dir.resolve("keys");
    Path signingKey = keyturn.generateKeys(keys, "2026-a");
    stateDir = Files.createDirectories(dir.resolve("state"));
    log = stateDir.resolve("audit.log");
    Path acme = dir.resolve("acme.license.toml");
    Path renewal = dir.resolve("renewal.license.toml");
    Path tampered = dir.resolve("tampered.license.toml");
    assertThat(keyturn.issueAcme(signingKey, acme).exitCode()).isZero();
    assertThat(keyturn.issueAcme(signingKey, renewal, "--expires-at", "2028-11-22").exitCode())
        .isZero();
    Files.writeString(tampered, Files.readString(renewal).replace("seats = 250", "seats = 9"));
    assertThat(keyturn.install(acme, stateDir, keys).exitCode()).isZero();
    assertThat(keyturn.install(tampered, stateDir, keys).exitCode()).isEqualTo(1);
    assertThat(keyturn.install(renewal, stateDir, keys).exitCode()).isZero();
    assertThat(Files.readAllLines(log)).hasSize(3);
  }

  private Keyturn.Result verify(String... extra) {
    List<String> args = new ArrayList<>(List.of("audit", "verify", "--state-dir"));
    args.add(stateDir.toString());
    args.addAll(List.of(extra));
    return keyturn.run(args.toArray(String[]::new));
  }

  private void editLine(int n, String from, String to) throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(log));
    assertThat(lines.get(n - 1)).contains(from);
    lines.set(n - 1, lines.get(n - 1).replace(from, to));
    Files.write(log, lines);
  }

  @Test
  void an_intact_log_exits_0_with_its_line_count() {
    Keyturn.Result r = verify();

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .isEqualTo(log + ": all 3 lines are intact and chained" + System.lineSeparator());
  }

  @Test
  void an_edited_line_exits_1_naming_that_line() throws Exception {
    editLine(2, "SIGNATURE_MISMATCH", "VALID");

    Keyturn.Result r = verify();

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("keyturn: " + log + " is broken at line 2 (3 lines): line 2 was changed");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void a_removed_last_line_is_caught_through_the_state_file() throws Exception {
    List<String> lines = Files.readAllLines(log);
    Files.write(log, lines.subList(0, 2));

    Keyturn.Result r = verify("--json");

    assertThat(r.exitCode()).isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("intact").asBoolean()).isFalse();
    assertThat(json.get("broken_line").asLong()).isEqualTo(3);
    assertThat(json.get("message").asText()).contains("line 3 is missing");
  }

  @Test
  void json_of_an_intact_log() throws Exception {
    Keyturn.Result r = verify("--json");

    assertThat(r.exitCode()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("intact").asBoolean()).isTrue();
    assertThat(json.get("lines").asLong()).isEqualTo(3);
    assertThat(json.get("broken_line").isNull()).isTrue();
  }

  @Test
  void a_missing_state_directory_is_an_error() {
    Path nowhere = dir.resolve("nowhere");

    Keyturn.Result r = keyturn.run("audit", "verify", "--state-dir", nowhere.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo("keyturn: no such directory: " + nowhere + System.lineSeparator());
  }
}
