package dev.keyturn.example.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
  void a_port_in_use_is_one_line_that_says_how_to_pick_another(@TempDir Path data)
      throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cli = new CommandLine(new Main());
      cli.setOut(new PrintWriter(out));
      cli.setErr(new PrintWriter(err));

      int code =
          cli.execute(
              "--demo", "--data", data.toString(), "--port", String.valueOf(taken.getLocalPort()));

      assertThat(code).isEqualTo(1);
      assertThat(err.toString())
          .isEqualTo(
              "Cannot start: port "
                  + taken.getLocalPort()
                  + " on 127.0.0.1 is taken (by the Keyturn server, perhaps); pick another with"
                  + " --port 8081, or --port 0 for any free one."
                  + System.lineSeparator());
      assertThat(out.toString()).doesNotContain("is running at");
    }
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
