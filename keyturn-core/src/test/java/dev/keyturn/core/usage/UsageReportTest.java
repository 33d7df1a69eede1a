package dev.keyturn.core.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.core.crypto.Ed25519;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class UsageReportTest {
  private static final Instant CREATED = Instant.parse("2027-03-02T09:15:00Z");
  private static final String HASH = "ab".repeat(32);

  private final KeyPair installation = Ed25519.generate();

  private UsageReport report(long sequence) {
    return new UsageReport(
        "lic_01JD3ACME",
        "inst_7f3a",
        installation.getPublic(),
        sequence,
        CREATED,
        List.of(
            new MonthlyUsage(YearMonth.of(2027, 1), Map.of("users", 240L, "devices", 4100L)),
            new MonthlyUsage(YearMonth.of(2027, 2), Map.of("users", 262L))),
        new AuditChain(57, HASH));
  }

  private String signed(UsageReport report) {
    return report.sign(installation.getPrivate()).toJson();
  }

  private static SignedUsageReport read(String json) {
    return SignedUsageReport.read(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void a_signed_report_reads_back_and_verifies() {
    UsageReport report = report(3);

    UsageReport back = read(signed(report)).verify();

    assertThat(back).isEqualTo(report);
    assertThat(back.peak("users")).contains(262L);
    assertThat(back.peak("cpus")).isEmpty();
    assertThat(back.installationKeyFingerprint()).hasSize(64);
    assertThat(read(signed(report)).verify(installation.getPublic())).isEqualTo(report);
  }

  @Test
  void the_payload_is_compact_json_in_the_documented_order() {
    String payload = new String(report(1).payload(), StandardCharsets.UTF_8);

    assertThat(payload)
        .startsWith("{\"license_id\":\"lic_01JD3ACME\",\"installation_id\":\"inst_7f3a\",")
        .contains(
            ",\"sequence\":1,\"created_at\":\"2027-03-02T09:15:00Z\",\"months\":[{\"month\":\"2027-01\",\"maxima\":{\"devices\":4100,\"users\":240}},")
        .endsWith(",\"audit_chain\":{\"entries\":57,\"last_hash\":\"" + HASH + "\"}}");
    assertThat(signed(report(1)))
        .startsWith("{\"format\":\"keyturn-usage-report-v1\",\"payload\":\"")
        .endsWith("\"}\n");
  }

  @Test
  void a_changed_payload_does_not_verify() {
    String json = signed(report(1));
    String payload = new String(report(1).payload(), StandardCharsets.UTF_8);
    String raised = payload.replace("\"users\":262", "\"users\":100");
    String forged =
        json.replace(
            Base64.getEncoder().encodeToString(payload.getBytes(StandardCharsets.UTF_8)),
            Base64.getEncoder().encodeToString(raised.getBytes(StandardCharsets.UTF_8)));

    SignedUsageReport read = read(forged);

    assertThat(read.unverifiedReport().peak("users")).contains(240L);
    assertCode(read::verify, UsageReportCode.SIGNATURE_MISMATCH);
  }

  @Test
  void a_report_signed_by_another_installation_key_is_refused_against_the_bound_key() {
    SignedUsageReport read = read(signed(report(1)));

    assertCode(
        () -> read.verify(Ed25519.generate().getPublic()),
        UsageReportCode.INSTALLATION_KEY_MISMATCH);
  }

  @Test
  void signing_with_a_key_of_another_installation_is_refused() {
    assertCode(
        () -> report(1).sign(Ed25519.generate().getPrivate()), UsageReportCode.SIGNATURE_MISMATCH);
  }

  @Test
  void negative_and_absurd_values_are_refused_when_built() {
    assertCode(
        () -> new MonthlyUsage(YearMonth.of(2027, 1), Map.of("users", -1L)),
        UsageReportCode.OUT_OF_RANGE);
    assertCode(
        () -> new MonthlyUsage(YearMonth.of(2027, 1), Map.of("users", 1_000_000_000_001L)),
        UsageReportCode.OUT_OF_RANGE);
    assertCode(() -> report(0), UsageReportCode.OUT_OF_RANGE);
    assertCode(() -> new AuditChain(-1, HASH), UsageReportCode.OUT_OF_RANGE);
    assertCode(() -> new AuditChain(0, HASH), UsageReportCode.MALFORMED);
    assertCode(() -> new AuditChain(3, "AB".repeat(32)), UsageReportCode.MALFORMED);
  }

  @Test
  void months_must_increase_and_not_pass_the_report_date() {
    assertCode(
        () ->
            new UsageReport(
                "lic_1",
                "inst_1",
                installation.getPublic(),
                1,
                CREATED,
                List.of(
                    new MonthlyUsage(YearMonth.of(2027, 2), Map.of()),
                    new MonthlyUsage(YearMonth.of(2027, 2), Map.of())),
                new AuditChain(1, HASH)),
        UsageReportCode.MALFORMED);
    assertCode(
        () ->
            new UsageReport(
                "lic_1",
                "inst_1",
                installation.getPublic(),
                1,
                CREATED,
                List.of(new MonthlyUsage(YearMonth.of(2027, 4), Map.of())),
                new AuditChain(1, HASH)),
        UsageReportCode.MALFORMED);
  }

  @Test
  void hostile_payloads_are_refused_with_typed_errors() {
    String base = new String(report(1).payload(), StandardCharsets.UTF_8);
    assertPayload(
        base.replace("\"users\":262", "\"users\":-262"),
        UsageReportCode.OUT_OF_RANGE,
        "payload.months[1].maxima.users must be from 0 to 1000000000000, was -262");
    assertPayload(
        base.replace("\"users\":262", "\"users\":999999999999999999999999999999"),
        UsageReportCode.OUT_OF_RANGE,
        "the number 99999999999999999999… is too large for a usage report");
    assertPayload(
        base.replace("\"users\":262", "\"users\":262.5"),
        UsageReportCode.MALFORMED,
        "payload is not valid JSON: only whole numbers are allowed at character ");
    assertPayload(
        base.replace("\"users\":262", "\"users\":2e3"),
        UsageReportCode.MALFORMED,
        "payload is not valid JSON: only whole numbers are allowed");
    assertPayload(
        base.replace("\"users\":262", "\"users\":\"262\""),
        UsageReportCode.MALFORMED,
        "payload.months[1].maxima.users must be a whole number, found a string");
    assertPayload(
        base.replace("\"users\":262", "\"users\":262,\"users\":1"),
        UsageReportCode.MALFORMED,
        "payload is not valid JSON: duplicate key \"users\"");
    assertPayload(
        base.replace("\"sequence\":1", "\"sequence\":9007199254740992"),
        UsageReportCode.OUT_OF_RANGE,
        "payload.sequence must be from 1 to 9007199254740991, was 9007199254740992");
    assertPayload(
        base.replace("\"sequence\":1,", "\"sequence\":1,\"node\":\"a\","),
        UsageReportCode.MALFORMED,
        "payload has unknown fields [node]");
    assertPayload(
        base.replace("2027-03-02T09:15:00Z", "2027-03-02T06:15:00-03:00"),
        UsageReportCode.MALFORMED,
        "payload.created_at must be an RFC 3339 UTC time");
    assertPayload(
        base.replace("\"2027-01\"", "\"2027-13\""),
        UsageReportCode.MALFORMED,
        "payload.months[0].month must be YYYY-MM, found \"2027-13\"");
    assertPayload(
        base.replace("\"license_id\":\"lic_01JD3ACME\",", ""),
        UsageReportCode.MALFORMED,
        "payload.license_id is missing");
    assertPayload(
        "[".repeat(50) + "]".repeat(50),
        UsageReportCode.MALFORMED,
        "payload is not valid JSON: nested deeper than 8 levels");
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 65; i++) {
      many.append(i == 0 ? "" : ",").append("\"l").append(i).append("\":1");
    }
    assertPayload(
        base.replace("\"users\":262", many),
        UsageReportCode.TOO_LARGE,
        "payload.months[1].maxima names 65 limits, more than maxLimitsPerMonth (64; UsageReportLimits)");
  }

  @Test
  void a_key_whose_point_is_off_the_curve_is_malformed_not_a_crash() {
    String base = new String(report(1).payload(), StandardCharsets.UTF_8);
    String key = Base64.getEncoder().encodeToString(installation.getPublic().getEncoded());
    byte[] offCurve = installation.getPublic().getEncoded();
    java.util.Arrays.fill(offCurve, offCurve.length - 32, offCurve.length, (byte) 0xff);

    assertPayload(
        base.replace(key, Base64.getEncoder().encodeToString(offCurve)),
        UsageReportCode.MALFORMED,
        "payload.installation_public_key is not an Ed25519 public key");
  }

  @Test
  void hostile_envelopes_are_refused_with_typed_errors() {
    String json = signed(report(1));
    assertEnvelope(
        json.replace("keyturn-usage-report-v1", "keyturn-usage-report-v2"),
        UsageReportCode.UNSUPPORTED_FORMAT);
    assertEnvelope(
        json.replace("\"signature\":\"", "\"signature\":\"!!"), UsageReportCode.MALFORMED);
    assertEnvelope("{\"format\":\"keyturn-usage-report-v1\"}", UsageReportCode.MALFORMED);
    assertEnvelope("not json", UsageReportCode.MALFORMED);
    assertEnvelope("", UsageReportCode.MALFORMED);
    assertEnvelope(" ".repeat(256 * 1024 + 1), UsageReportCode.TOO_LARGE);
    assertCode(
        () -> SignedUsageReport.read(new byte[] {'{', (byte) 0xC3, '}'}),
        UsageReportCode.MALFORMED);
  }

  private String envelope(String payload) {
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    return "{\"format\":\"keyturn-usage-report-v1\",\"payload\":\""
        + Base64.getEncoder().encodeToString(bytes)
        + "\",\"signature\":\""
        + Base64.getEncoder().encodeToString(Ed25519.sign(installation.getPrivate(), bytes))
        + "\"}";
  }

  private void assertPayload(String payload, UsageReportCode code, String messageStart) {
    assertThatThrownBy(() -> read(envelope(payload)))
        .isInstanceOfSatisfying(
            UsageReportException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessageStartingWith(messageStart);
  }

  private static void assertEnvelope(String json, UsageReportCode code) {
    assertCode(() -> read(json), code);
  }

  private static void assertCode(ThrowingCallable call, UsageReportCode code) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            UsageReportException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
