package dev.keyturn.server.license;

/** Published inside the issuing transaction, so the lifecycle state follows before commit. */
public record LicenseIssued(String subscriptionId, String licenseId) {}
