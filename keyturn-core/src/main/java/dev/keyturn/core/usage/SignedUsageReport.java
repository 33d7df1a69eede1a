package dev.keyturn.core.usage;

import dev.keyturn.core.crypto.Ed25519;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A usage report as it travels: the envelope {@code {"format", "payload", "signature"}} of
 * docs/usage-report.md, with the exact payload bytes the signature covers.
 *
 * <p>{@link #read} parses and checks every field and limit but not the signature; {@link #verify()}
 * then checks it against the report's own installation key, and {@link #verify(PublicKey)} against
 * the key already bound to the installation. A server imports only what {@code verify} returns.
 */
public final class SignedUsageReport {
  private static final int SIGNATURE_BYTES = 64;

  private final UsageReport report;
  private final byte[] payload;
  private final byte[] signature;

  SignedUsageReport(UsageReport report, byte[] payload, byte[] signature) {
    this.report = Objects.requireNonNull(report, "report");
    this.payload = payload.clone();
    this.signature = signature.clone();
  }

  /** The report as read; not yet verified. */
  public UsageReport unverifiedReport() {
    return report;
  }

  public byte[] payload() {
    return payload.clone();
  }

  public byte[] signature() {
    return signature.clone();
  }

  /**
   * Verifies the signature with the report's own installation key.
   *
   * @throws UsageReportException {@code SIGNATURE_MISMATCH}
   */
  public UsageReport verify() {
    if (!Ed25519.verify(report.installationPublicKey(), payload, signature)) {
      throw new UsageReportException(
          UsageReportCode.SIGNATURE_MISMATCH,
          "the signature does not verify with the report's installation_public_key: the report was"
              + " changed after it was signed");
    }
    return report;
  }

  /**
   * Verifies the signature, and that the report is signed by the key already bound to its
   * installation (the key of its first import).
   *
   * @throws UsageReportException {@code INSTALLATION_KEY_MISMATCH} or {@code SIGNATURE_MISMATCH}
   */
  public UsageReport verify(PublicKey boundKey) {
    if (!MessageDigest.isEqual(
        boundKey.getEncoded(), report.installationPublicKey().getEncoded())) {
      throw new UsageReportException(
          UsageReportCode.INSTALLATION_KEY_MISMATCH,
          "installation "
              + report.installationId()
              + " is bound to another key: this report was not signed by that installation");
    }
    return verify();
  }

  /** The envelope as JSON text, one line, ending with a newline. */
  public String toJson() {
    StringBuilder b = new StringBuilder(payload.length * 4 / 3 + 200);
    b.append("{\"format\":");
    JsonText.quote(b, UsageReport.FORMAT);
    b.append(",\"payload\":\"")
        .append(Base64.getEncoder().encodeToString(payload))
        .append("\",\"signature\":\"")
        .append(Base64.getEncoder().encodeToString(signature))
        .append("\"}\n");
    return b.toString();
  }

  /** Reads a report with the default limits. */
  public static SignedUsageReport read(byte[] bytes) {
    return read(bytes, UsageReportLimits.DEFAULTS);
  }

  /**
   * Reads the envelope and the payload, checking every field against {@code limits}.
   *
   * @throws UsageReportException naming what is wrong; nothing else escapes, whatever the input
   */
  public static SignedUsageReport read(byte[] bytes, UsageReportLimits limits) {
    if (bytes.length > limits.maxReportBytes()) {
      throw UsageReportException.tooLarge(
          "the usage report is larger than maxReportBytes ("
              + limits.maxReportBytes()
              + " bytes; UsageReportLimits)");
    }
    Fields envelope =
        Fields.object(
            JsonText.parse(utf8(bytes, "the usage report"), "the usage report"),
            "the usage report");
    envelope.onlyKeys("format", "payload", "signature");
    String format = envelope.string("format", 64);
    if (!format.equals(UsageReport.FORMAT)) {
      throw new UsageReportException(
          UsageReportCode.UNSUPPORTED_FORMAT,
          "format \"" + format + "\" is not supported; this reader knows " + UsageReport.FORMAT);
    }
    byte[] payload = envelope.base64("payload", limits.maxReportBytes());
    byte[] signature = envelope.base64("signature", 128);
    if (signature.length != SIGNATURE_BYTES) {
      throw UsageReportException.malformed(
          "signature must be " + SIGNATURE_BYTES + " bytes (Ed25519), found " + signature.length);
    }
    UsageReport report = PayloadReader.read(utf8(payload, "payload"), limits);
    return new SignedUsageReport(report, payload, signature);
  }

  private static String utf8(byte[] bytes, String what) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw UsageReportException.malformed(what + " is not UTF-8 text");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedUsageReport other
        && Arrays.equals(payload, other.payload)
        && Arrays.equals(signature, other.signature);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(payload) + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "SignedUsageReport[" + report.installationId() + " #" + report.sequence() + "]";
  }
}
