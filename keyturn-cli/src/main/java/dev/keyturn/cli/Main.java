package dev.keyturn.cli;

import java.security.SecureRandom;
import java.time.Clock;

/** The {@code keyturn} command. The one place where the real clock and randomness are chosen. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(Cli.commandLine(Clock.systemUTC(), new SecureRandom()).execute(args));
  }
}
