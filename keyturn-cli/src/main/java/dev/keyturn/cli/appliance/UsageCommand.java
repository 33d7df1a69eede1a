package dev.keyturn.cli.appliance;

import dev.keyturn.cli.CommandGroup;
import picocli.CommandLine.Command;

/** Groups the usage commands; alone, it prints its help. */
@Command(
    name = "usage",
    description = "Usage reports for a vendor that cannot see this installation online.",
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  done",
      "  1  the operation failed (the reason is printed)",
      "  2  usage error (a missing or malformed option)",
      "",
      "Run 'keyturn usage <command> --help' for each command's options and an example."
    })
public final class UsageCommand extends CommandGroup {}
