package dev.keyturn.cli;

import dev.keyturn.core.KeyturnException;
import dev.keyturn.core.license.LicenseFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one place where failures become exit codes and messages. Users see a sentence, never a stack
 * trace, for anything Keyturn or the file system reports on purpose; only a real bug still shows
 * its trace, because then the trace is what a bug report needs.
 */
final class Errors {
  private Errors() {}

  /** Exit 2: the command line is wrong. A short hint instead of the whole help text. */
  static int usageError(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    // Some picocli messages start with "Error: " and some do not; the prefix says it already.
    err.println("keyturn: " + e.getMessage().replaceFirst("^Error: ", ""));
    if (e instanceof MissingParameterException missing) {
      // What the missing option is for, so the user need not open the help to find out.
      for (ArgSpec arg : missing.getMissing()) {
        String name = arg instanceof OptionSpec o ? o.longestName() : arg.paramLabel();
        err.println("  " + name + ": " + String.join(" ", arg.renderedDescription()));
      }
    }
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** Exit 1: the command was well formed but the operation failed. */
  static int executionError(Exception e, CommandLine cmd, ParseResult parseResult)
      throws Exception {
    if (e instanceof KeyturnException
        || e instanceof IllegalArgumentException
        || e instanceof IOException
        || e instanceof UncheckedIOException) {
      PrintWriter err = cmd.getErr();
      // A license file that cannot be read carries its stable code, as in verify's output.
      String code = e instanceof LicenseFormatException lfe ? lfe.code() + ": " : "";
      err.println("keyturn: " + code + e.getMessage());
      err.flush();
      return cmd.getCommandSpec().exitCodeOnExecutionException();
    }
    throw e;
  }
}
