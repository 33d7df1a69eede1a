package dev.keyturn.core.license;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * A license file as read or as issued: the typed license, the exact table that was signed, and the
 * signature. Signatures are checked against {@link #canonicalBytes()}, which comes from {@code
 * table} (what the file says), not from the typed view.
 */
public record SignedLicense(
    long format, Map<String, Object> table, License license, LicenseSignature signature) {

  /** The format of a license naming a preset; what every reader understands. */
  public static final long FORMAT = 1;

  /**
   * The format of a license carrying a whole custom policy (docs/license-format.md), and the newest
   * this reader understands. Older readers refuse it as UNSUPPORTED_FORMAT.
   */
  public static final long MAX_FORMAT = 2;

  /**
   * Check-in tokens are this prefix and {@link #signatureHash()} (the wire contract of check-in).
   */
  public static final String CHECK_IN_TOKEN_PREFIX = "kt_lic_";

  public SignedLicense {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(license, "license");
    Objects.requireNonNull(signature, "signature");
  }

  public byte[] canonicalBytes() {
    return CanonicalForm.of(format, table);
  }

  /**
   * The hex SHA-256 of the signature bytes: a short, stable name for this exact license (the client
   * names stored files by it; the server finds a license by it).
   */
  public String signatureHash() {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(signature.bytes()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** The bearer token a product presents at check-in, derived from the file it holds. */
  public String checkInToken() {
    return CHECK_IN_TOKEN_PREFIX + signatureHash();
  }

  /** The file text, ready to save as {@code <name>.license.toml}. */
  public String toToml() {
    return LicenseWriter.write(this);
  }

  /** The format a license is written in: 2 when it carries a custom policy, else 1. */
  public static long formatOf(License license) {
    return license.policy().isCustom() ? MAX_FORMAT : FORMAT;
  }

  /** The bytes to sign for a license about to be issued. */
  public static byte[] canonicalBytes(License license) {
    return CanonicalForm.of(formatOf(license), LicenseTable.toTable(license));
  }

  /** Pairs a license with a signature made over {@link #canonicalBytes(License)}. */
  public static SignedLicense of(License license, LicenseSignature signature) {
    return new SignedLicense(formatOf(license), LicenseTable.toTable(license), license, signature);
  }
}
