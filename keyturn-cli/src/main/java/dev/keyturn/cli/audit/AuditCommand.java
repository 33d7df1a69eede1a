package dev.keyturn.cli.audit;

import picocli.CommandLine.Command;

/** Groups the audit log commands. */
@Command(name = "audit", description = "Check a product's local audit log.")
public final class AuditCommand {}
