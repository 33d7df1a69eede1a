package dev.keyturn.core.usage;

import dev.keyturn.core.crypto.Ed25519;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Reads the payload JSON of a usage report into a {@link UsageReport}, limits first. */
final class PayloadReader {
  private static final Pattern RFC3339_UTC =
      Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z");
  private static final Pattern MONTH = Pattern.compile("[0-9]{4}-(0[1-9]|1[0-2])");
  private static final int MAX_KEY_BYTES = 256;

  private PayloadReader() {}

  static UsageReport read(String json, UsageReportLimits limits) {
    Fields p = Fields.object(JsonText.parse(json, "payload"), "payload");
    p.onlyKeys(
        "license_id",
        "installation_id",
        "installation_public_key",
        "sequence",
        "created_at",
        "months",
        "audit_chain");
    String licenseId = p.string("license_id", limits.maxTextLength());
    String installationId = p.string("installation_id", limits.maxTextLength());
    PublicKey key = publicKey(p.base64("installation_public_key", MAX_KEY_BYTES));
    long sequence = p.wholeNumber("sequence");
    if (sequence < 1 || sequence > limits.maxSequence()) {
      throw UsageReportException.outOfRange(
          "payload.sequence must be from 1 to " + limits.maxSequence() + ", was " + sequence);
    }
    Instant createdAt = instant(p.string("created_at", 40));
    List<Object> monthValues = p.array("months");
    if (monthValues.size() > limits.maxMonths()) {
      throw UsageReportException.tooLarge(
          "payload.months has "
              + monthValues.size()
              + " entries, more than maxMonths ("
              + limits.maxMonths()
              + "; UsageReportLimits)");
    }
    List<MonthlyUsage> months = new ArrayList<>(monthValues.size());
    for (int i = 0; i < monthValues.size(); i++) {
      months.add(month(Fields.object(monthValues.get(i), "payload.months[" + i + "]"), limits));
    }
    Fields chain = p.object("audit_chain");
    chain.onlyKeys("entries", "last_hash");
    long entries = chain.wholeNumber("entries");
    if (entries < 0 || entries > limits.maxSequence()) {
      throw UsageReportException.outOfRange(
          "payload.audit_chain.entries must be from 0 to "
              + limits.maxSequence()
              + ", was "
              + entries);
    }
    AuditChain auditChain = new AuditChain(entries, chain.string("last_hash", 64));
    return new UsageReport(licenseId, installationId, key, sequence, createdAt, months, auditChain);
  }

  private static MonthlyUsage month(Fields m, UsageReportLimits limits) {
    m.onlyKeys("month", "maxima");
    String text = m.string("month", 7);
    if (!MONTH.matcher(text).matches()) {
      throw UsageReportException.malformed(
          m.name("month") + " must be YYYY-MM, found \"" + text + "\"");
    }
    YearMonth month = YearMonth.parse(text);
    Fields maxima = m.object("maxima");
    if (maxima.values().size() > limits.maxLimitsPerMonth()) {
      throw UsageReportException.tooLarge(
          maxima.path()
              + " names "
              + maxima.values().size()
              + " limits, more than maxLimitsPerMonth ("
              + limits.maxLimitsPerMonth()
              + "; UsageReportLimits)");
    }
    Map<String, Long> values = new TreeMap<>();
    for (String name : maxima.values().keySet()) {
      if (!MonthlyUsage.LIMIT_NAME.matcher(name).matches()) {
        throw UsageReportException.malformed(
            maxima.path() + " has a limit name that is not 1 to 64 of A-Z a-z 0-9 _ -");
      }
      long value = maxima.wholeNumber(name);
      if (value < 0 || value > limits.maxUsage()) {
        throw UsageReportException.outOfRange(
            maxima.name(name) + " must be from 0 to " + limits.maxUsage() + ", was " + value);
      }
      values.put(name, value);
    }
    return new MonthlyUsage(month, values);
  }

  private static Instant instant(String text) {
    if (!RFC3339_UTC.matcher(text).matches()) {
      throw UsageReportException.malformed(
          "payload.created_at must be an RFC 3339 UTC time such as 2027-01-31T12:00:00Z, found \""
              + text
              + "\"");
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw UsageReportException.malformed(
          "payload.created_at is not a real time: \"" + text + "\"");
    }
  }

  private static PublicKey publicKey(byte[] der) {
    try {
      PublicKey key =
          KeyFactory.getInstance(Ed25519.ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
      // The factory takes any 32 bytes; only verifying decodes the point, and a point off the curve
      // must be refused here, not surface later as a key error (found by UsageReportFuzzTest).
      Ed25519.verify(key, new byte[0], new byte[64]);
      return key;
    } catch (GeneralSecurityException | RuntimeException e) {
      throw UsageReportException.malformed(
          "payload.installation_public_key is not an Ed25519 public key (base64 X.509"
              + " SubjectPublicKeyInfo DER)");
    }
  }
}
