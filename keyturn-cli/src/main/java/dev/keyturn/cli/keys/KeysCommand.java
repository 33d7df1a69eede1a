package dev.keyturn.cli.keys;

import dev.keyturn.cli.CommandGroup;
import picocli.CommandLine.Command;

/** Groups the key commands; alone, it prints its help. */
@Command(
    name = "keys",
    description = "Manage Ed25519 signing keys.",
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  success",
      "  1  the operation failed (the reason is printed)",
      "  2  usage error (a missing or malformed option)",
      "",
      "Run 'keyturn keys <command> --help' for each command's options and an example."
    })
public final class KeysCommand extends CommandGroup {}
