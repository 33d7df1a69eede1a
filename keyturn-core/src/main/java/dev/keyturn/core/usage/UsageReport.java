package dev.keyturn.core.usage;

import dev.keyturn.core.crypto.Ed25519;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an air-gapped installation tells its vendor about its usage (docs/usage-report.md): the
 * monthly maxima per limit, signed by the installation's own Ed25519 key and tied to its audit log.
 * The report can only inform the vendor; nothing in it changes what a license grants.
 *
 * @param installationPublicKey the key that signs this and every later report of the installation
 * @param sequence 1 for the first report; each later report of the installation is higher
 * @param months in increasing order, each month at most once
 */
public record UsageReport(
    String licenseId,
    String installationId,
    PublicKey installationPublicKey,
    long sequence,
    Instant createdAt,
    List<MonthlyUsage> months,
    AuditChain auditChain) {

  /** The envelope's {@code format}. */
  public static final String FORMAT = "keyturn-usage-report-v1";

  /** Ids as the client and the server make them; anything else is refused, not escaped. */
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  public UsageReport {
    requireId(licenseId, "license_id");
    requireId(installationId, "installation_id");
    Objects.requireNonNull(installationPublicKey, "installationPublicKey");
    if (!Ed25519.ALGORITHM.equalsIgnoreCase(installationPublicKey.getAlgorithm())
        && !"EdDSA".equalsIgnoreCase(installationPublicKey.getAlgorithm())) {
      throw UsageReportException.malformed("installation_public_key must be an Ed25519 key");
    }
    if (sequence < 1 || sequence > UsageReportLimits.DEFAULT_MAX_SEQUENCE) {
      throw UsageReportException.outOfRange(
          "sequence must be from 1 to "
              + UsageReportLimits.DEFAULT_MAX_SEQUENCE
              + ", was "
              + sequence);
    }
    Objects.requireNonNull(createdAt, "createdAt");
    createdAt = createdAt.truncatedTo(ChronoUnit.SECONDS);
    Objects.requireNonNull(auditChain, "auditChain");
    months = List.copyOf(months);
    YearMonth previous = null;
    for (MonthlyUsage m : months) {
      if (previous != null && !m.month().isAfter(previous)) {
        throw UsageReportException.malformed(
            "months must be in increasing order, each at most once: "
                + m.month()
                + " follows "
                + previous);
      }
      previous = m.month();
    }
    if (previous != null && previous.isAfter(YearMonth.from(createdAt.atZone(ZoneOffset.UTC)))) {
      throw UsageReportException.malformed(
          "months must not go past created_at's month: " + previous + " is after " + createdAt);
    }
  }

  private static void requireId(String value, String field) {
    if (value == null || !ID.matcher(value).matches()) {
      throw UsageReportException.malformed(
          field + " must be 1 to 128 of A-Z a-z 0-9 . _ : - (starting with a letter or digit)");
    }
  }

  /** The highest usage of {@code limit} over every month of the report, if it was recorded. */
  public Optional<Long> peak(String limit) {
    return months.stream()
        .map(m -> m.maxima().get(limit))
        .filter(Objects::nonNull)
        .max(Long::compare);
  }

  /**
   * The hex SHA-256 of the installation key's DER encoding: a short name to bind and compare the
   * key by.
   */
  public String installationKeyFingerprint() {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(installationPublicKey.getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** The payload: compact UTF-8 JSON with the fields in the documented order. */
  public byte[] payload() {
    StringBuilder b = new StringBuilder(256 + months.size() * 64);
    b.append("{\"license_id\":");
    JsonText.quote(b, licenseId);
    b.append(",\"installation_id\":");
    JsonText.quote(b, installationId);
    b.append(",\"installation_public_key\":\"")
        .append(Base64.getEncoder().encodeToString(installationPublicKey.getEncoded()))
        .append("\",\"sequence\":")
        .append(sequence)
        .append(",\"created_at\":\"")
        .append(createdAt)
        .append("\",\"months\":[");
    for (int i = 0; i < months.size(); i++) {
      MonthlyUsage m = months.get(i);
      b.append(i == 0 ? "" : ",")
          .append("{\"month\":\"")
          .append(m.month())
          .append("\",\"maxima\":{");
      int n = 0;
      for (Map.Entry<String, Long> e : m.maxima().entrySet()) {
        b.append(n++ == 0 ? "" : ",");
        JsonText.quote(b, e.getKey());
        b.append(':').append(e.getValue());
      }
      b.append("}}");
    }
    b.append("],\"audit_chain\":{\"entries\":")
        .append(auditChain.entries())
        .append(",\"last_hash\":\"")
        .append(auditChain.lastHash())
        .append("\"}}");
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Signs the payload with the installation's private key.
   *
   * @throws UsageReportException {@code SIGNATURE_MISMATCH} when {@code privateKey} is not the
   *     private half of {@link #installationPublicKey()}: such a report could never be verified
   */
  public SignedUsageReport sign(PrivateKey privateKey) {
    byte[] payload = payload();
    byte[] signature = Ed25519.sign(privateKey, payload);
    if (!Ed25519.verify(installationPublicKey, payload, signature)) {
      throw new UsageReportException(
          UsageReportCode.SIGNATURE_MISMATCH,
          "the private key does not belong to the report's installation_public_key");
    }
    return new SignedUsageReport(this, payload, signature);
  }
}
