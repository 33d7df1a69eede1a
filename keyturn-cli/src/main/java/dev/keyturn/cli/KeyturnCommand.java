package dev.keyturn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/** The root command; it only groups the others, so running it alone is a usage error. */
@Command(
    name = "keyturn",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    sortOptions = false,
    description = "Signed offline license files and their lifecycle, for vendors.",
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  success",
      "  1  invalid license, or the operation failed (the reason is printed)",
      "  2  usage error (a missing or malformed option)",
      "",
      "Run 'keyturn <command> --help' for each command's options and an example."
    })
public final class KeyturnCommand {}
