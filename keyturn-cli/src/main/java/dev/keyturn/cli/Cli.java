package dev.keyturn.cli;

import dev.keyturn.cli.appliance.InstallCommand;
import dev.keyturn.cli.appliance.StatusCommand;
import dev.keyturn.cli.appliance.UsageCommand;
import dev.keyturn.cli.appliance.UsageExportCommand;
import dev.keyturn.cli.audit.AuditCommand;
import dev.keyturn.cli.audit.AuditVerifyCommand;
import dev.keyturn.cli.keys.GenerateKeysCommand;
import dev.keyturn.cli.keys.KeysCommand;
import dev.keyturn.cli.license.InspectCommand;
import dev.keyturn.cli.license.IssueCommand;
import dev.keyturn.cli.license.LicenseCommand;
import dev.keyturn.cli.license.VerifyCommand;
import dev.keyturn.cli.simulate.SimulateCommand;
import java.time.Clock;
import java.util.random.RandomGenerator;
import picocli.CommandLine;

/**
 * Assembles the command tree. Commands get their clock and randomness through their constructors,
 * so tests run the very same tree on a fixed clock.
 */
public final class Cli {
  private Cli() {}

  public static CommandLine commandLine(Clock clock, RandomGenerator random) {
    CommandLine keys = new CommandLine(new KeysCommand()).addSubcommand(new GenerateKeysCommand());
    CommandLine license =
        new CommandLine(new LicenseCommand())
            .addSubcommand(new IssueCommand(clock, random))
            .addSubcommand(new VerifyCommand(clock))
            .addSubcommand(new InspectCommand());
    CommandLine audit = new CommandLine(new AuditCommand()).addSubcommand(new AuditVerifyCommand());
    CommandLine usage =
        new CommandLine(new UsageCommand()).addSubcommand(new UsageExportCommand(clock));
    CommandLine root =
        new CommandLine(new KeyturnCommand())
            .addSubcommand(keys)
            .addSubcommand(license)
            .addSubcommand(new SimulateCommand())
            .addSubcommand(new StatusCommand(clock))
            .addSubcommand(new InstallCommand(clock))
            .addSubcommand(usage)
            .addSubcommand(audit);
    root.setParameterExceptionHandler(Errors::usageError);
    root.setExecutionExceptionHandler(Errors::executionError);
    return root;
  }
}
