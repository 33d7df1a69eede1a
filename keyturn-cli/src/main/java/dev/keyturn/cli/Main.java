package dev.keyturn.cli;

import java.security.SecureRandom;
import java.time.Clock;

/** The {@code keyturn} command. The one place where the real clock and randomness are chosen. */
public final class Main {
  private static final String LOG_FORMAT = "java.util.logging.SimpleFormatter.format";

  private Main() {}

  public static void main(String[] args) {
    // The client logs through System.Logger (e.g. an installed license file that the given keys do
    // not verify); on a terminal that reads best as one plain line, like the CLI's own messages.
    if (System.getProperty(LOG_FORMAT) == null) {
      System.setProperty(LOG_FORMAT, "keyturn: %4$s: %5$s%n");
    }
    System.exit(Cli.commandLine(Clock.systemUTC(), new SecureRandom()).execute(args));
  }
}
