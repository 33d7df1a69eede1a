package dev.keyturn.cli.license;

import picocli.CommandLine.Command;

/** Groups the license commands. */
@Command(name = "license", description = "Issue, verify and inspect license files.")
public final class LicenseCommand {}
