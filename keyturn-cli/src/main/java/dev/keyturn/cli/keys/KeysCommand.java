package dev.keyturn.cli.keys;

import picocli.CommandLine.Command;

/** Groups the key commands. */
@Command(name = "keys", description = "Manage Ed25519 signing keys.")
public final class KeysCommand {}
