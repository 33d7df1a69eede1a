package dev.keyturn.cli.license;

import dev.keyturn.cli.CommandGroup;
import picocli.CommandLine.Command;

/** Groups the license commands; alone, it prints its help. */
@Command(
    name = "license",
    description = "Issue, verify and inspect license files.",
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  success (verify: the license is VALID)",
      "  1  invalid license, or the operation failed (the reason is printed)",
      "  2  usage error (a missing or malformed option)",
      "",
      "Run 'keyturn license <command> --help' for each command's options and an example."
    })
public final class LicenseCommand extends CommandGroup {}
