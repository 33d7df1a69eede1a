package dev.keyturn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {
  private final Keyturn keyturn = new Keyturn();

  @Test
  void prints_its_version() {
    Keyturn.Result r = keyturn.run("--version");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).matches("(?s)keyturn \\d+\\.\\d+\\.\\d+.*");
  }

  @Test
  void every_command_has_help_with_an_example() {
    for (List<String> command :
        List.of(
            List.of("keys", "generate"),
            List.of("license", "issue"),
            List.of("license", "verify"),
            List.of("license", "inspect"),
            List.of("simulate"),
            List.of("status"),
            List.of("install"),
            List.of("audit", "verify"))) {
      String[] args = new String[command.size() + 1];
      command.toArray(args);
      args[command.size()] = "--help";

      Keyturn.Result r = keyturn.run(args);

      assertThat(r.exitCode()).isZero();
      assertThat(r.out())
          .startsWith("Usage: keyturn " + String.join(" ", command))
          .contains("Example")
          .contains("  keyturn " + String.join(" ", command));
    }
  }

  @Test
  void top_level_help_lists_the_commands_and_exit_codes() {
    Keyturn.Result r = keyturn.run("--help");

    assertThat(r.out())
        .contains("keys")
        .contains("license")
        .contains("simulate")
        .contains("status")
        .contains("install")
        .contains("audit");
    assertThat(r.out())
        .contains("2  usage error")
        .contains("3  status: the product is read-only")
        .contains("4  status: the product is locked");
  }

  @Test
  void keyturn_alone_prints_the_help_as_a_usage_error() {
    Keyturn.Result r = keyturn.run();

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("Usage: keyturn ")
        .contains("license")
        .contains("status")
        .contains("Exit codes:")
        .doesNotContain("Missing required subcommand");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void a_group_without_a_command_prints_its_own_help() {
    Keyturn.Result r = keyturn.run("license");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("Usage: keyturn license ")
        .contains("issue")
        .contains("verify")
        .contains("inspect");
  }

  @Test
  void a_group_lists_only_the_exit_codes_its_commands_use() {
    for (String group : new String[] {"keys", "license", "audit"}) {
      Keyturn.Result r = keyturn.run(group, "--help");

      assertThat(r.exitCode()).isZero();
      assertThat(r.out())
          .as(group)
          .contains("Exit codes:")
          .contains("2  usage error")
          .doesNotContain("3  ")
          .doesNotContain("4  ")
          .doesNotContain("status");
    }
  }

  @Test
  void a_mistyped_command_gets_a_suggestion() {
    Keyturn.Result r = keyturn.run("license", "verfy");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("verfy").contains("verify");
  }
}
