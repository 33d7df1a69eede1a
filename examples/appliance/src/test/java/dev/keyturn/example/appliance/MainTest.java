package dev.keyturn.example.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
  @Test
  void without_keys_or_demo_it_says_what_to_give_and_exits_2() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Main());
    cli.setErr(new PrintWriter(err));

    int code = cli.execute();

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--trust").contains("--demo");
  }

  @Test
  void help_shows_the_one_command_to_try() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new PrintWriter(out));

    assertThat(cli.execute("--help")).isZero();
    assertThat(out.toString()).contains("java -jar keyturn-appliance.jar --demo");
  }
}
