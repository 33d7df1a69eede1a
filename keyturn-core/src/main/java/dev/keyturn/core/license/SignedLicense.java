package dev.keyturn.core.license;

import java.util.Map;
import java.util.Objects;

/**
 * A license file as read or as issued: the typed license, the exact table that was signed, and the
 * signature. Signatures are checked against {@link #canonicalBytes()}, which comes from {@code
 * table} (what the file says), not from the typed view.
 */
public record SignedLicense(
    long format, Map<String, Object> table, License license, LicenseSignature signature) {

  public static final long FORMAT = 1;

  public SignedLicense {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(license, "license");
    Objects.requireNonNull(signature, "signature");
  }

  public byte[] canonicalBytes() {
    return CanonicalForm.of(format, table);
  }

  /** The file text, ready to save as {@code <name>.license.toml}. */
  public String toToml() {
    return LicenseWriter.write(this);
  }

  /** The bytes to sign for a license about to be issued. */
  public static byte[] canonicalBytes(License license) {
    return CanonicalForm.of(FORMAT, LicenseTable.toTable(license));
  }

  /** Pairs a license with a signature made over {@link #canonicalBytes(License)}. */
  public static SignedLicense of(License license, LicenseSignature signature) {
    return new SignedLicense(FORMAT, LicenseTable.toTable(license), license, signature);
  }
}
