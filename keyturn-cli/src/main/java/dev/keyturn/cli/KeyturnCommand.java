package dev.keyturn.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/** The root command; it only groups the others, so running it alone prints the help. */
@Command(
    name = "keyturn",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    sortOptions = false,
    description = {
      "Signed offline license files and their lifecycle.",
      "Vendors: keys, license, simulate. Appliance admins: status, install, audit."
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  success; for status: the product works normally (full mode)",
      "  1  invalid license, or the operation failed (the reason is printed)",
      "  2  usage error (a missing or malformed option)",
      "  3  status: the product is read-only (grace of a read-only policy)",
      "  4  status: the product is locked (no license, grace over, or revoked)",
      "",
      "Run 'keyturn <command> --help' for each command's options and an example."
    })
public final class KeyturnCommand extends CommandGroup {}
