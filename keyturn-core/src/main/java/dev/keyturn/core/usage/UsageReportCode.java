package dev.keyturn.core.usage;

/**
 * Why a usage report was refused. Stable names: the server's API and the CLI print them, so they
 * are only ever added, never renamed.
 */
public enum UsageReportCode {
  /** Not JSON, a field missing or of the wrong type, an unknown field, bad base64 or a bad date. */
  MALFORMED,
  /** A {@code format} other than {@value UsageReport#FORMAT}. */
  UNSUPPORTED_FORMAT,
  /**
   * Larger than a {@link UsageReportLimits} limit: bytes, months, limits per month, text length.
   */
  TOO_LARGE,
  /** A negative or absurd number: usage, sequence or entry count outside its range. */
  OUT_OF_RANGE,
  /** The signature does not verify with the report's own installation key. */
  SIGNATURE_MISMATCH,
  /** The report is signed by another key than the one bound to its installation. */
  INSTALLATION_KEY_MISMATCH
}
