package dev.keyturn.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that only groups others ({@code keyturn}, {@code keyturn license}, …). Run alone, it
 * prints its help, which lists the commands it groups, instead of a bare "missing subcommand"; on
 * stderr and with exit 2, because a script that gets here left its command out.
 */
public abstract class CommandGroup implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    cmd.usage(cmd.getErr(), cmd.getColorScheme());
    cmd.getErr().flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }
}
