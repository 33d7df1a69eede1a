package dev.keyturn.cli.audit;

import dev.keyturn.cli.CommandGroup;
import picocli.CommandLine.Command;

/** Groups the audit log commands; alone, it prints its help. */
@Command(
    name = "audit",
    description = "Check a product's local audit log.",
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  the log is intact",
      "  1  the log is broken, or cannot be read (the reason is printed)",
      "  2  usage error (a missing or malformed option)",
      "",
      "Run 'keyturn audit <command> --help' for each command's options and an example."
    })
public final class AuditCommand extends CommandGroup {}
