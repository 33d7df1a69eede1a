package dev.keyturn.server.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.usage.AuditChain;
import dev.keyturn.core.usage.MonthlyUsage;
import dev.keyturn.core.usage.UsageReport;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.ServerTest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Air-gapped usage reports (issue 18, item 4) imported through the API, as dated scenarios: the
 * months are the server clock's, whatever other tests did to it.
 */
abstract class UsageReportTests extends ServerTest {

  static KeyPair installationKey() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A signed report file of {@code months} (month → users), written now by the server's clock. */
  private String report(
      KeyPair key,
      String licenseId,
      String installation,
      long sequence,
      long auditEntries,
      Map<YearMonth, Long> months) {
    List<MonthlyUsage> list = new ArrayList<>();
    months.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> list.add(new MonthlyUsage(e.getKey(), Map.of("users", e.getValue()))));
    return new UsageReport(
            licenseId,
            installation,
            key.getPublic(),
            sequence,
            clock.instant(),
            list,
            new AuditChain(
                auditEntries, auditEntries == 0 ? AuditChain.EMPTY_HASH : "ab".repeat(32)))
        .sign(key.getPrivate())
        .toJson();
  }

  private YearMonth thisMonth() {
    return YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
  }

  private Api.Response upload(String body) {
    return as(Role.SUPPORT).post("/api/v1/usage-reports", body);
  }

  private int imports(String sub) {
    return as(Role.READONLY).get("/api/v1/subscriptions/" + sub + "/usage-reports").json().size();
  }

  @Test
  void reports_of_an_installation_bind_its_key_flag_missing_months_and_join_the_history() {
    String sub = createSubscription("Air Gap Corp"); // users = 250
    Api.Response issued = issued(sub, "P365D");
    String license = issued.field("id");
    KeyPair key = installationKey();
    YearMonth now = thisMonth();
    YearMonth m1 = now.minusMonths(4);
    YearMonth m2 = now.minusMonths(3);

    // Report 1: two months; binds the key.
    Api.Response first = upload(report(key, license, "air-1", 1, 10, Map.of(m1, 120L, m2, 180L)));
    assertThat(first.status()).as(first.toString()).isEqualTo(201);
    assertThat(first.json().get("first_import").asBoolean()).isTrue();
    assertThat(first.json().get("missing_months")).isEmpty();
    assertThat(first.json().get("subscription_id").asString()).isEqualTo(sub);

    // Report 2 skips a month, and runs above the limit in the last one.
    YearMonth m4 = now.minusMonths(1);
    Api.Response second = upload(report(key, license, "air-1", 2, 25, Map.of(m4, 260L, now, 240L)));
    assertThat(second.status()).as(second.toString()).isEqualTo(201);
    assertThat(second.json().get("first_import").asBoolean()).isFalse();
    assertThat(second.json().get("missing_months").get(0).asString())
        .isEqualTo(now.minusMonths(2).toString());
    assertThat(second.json().get("missing_months")).hasSize(1);

    // The months are in the history (as their first days) and in the import list.
    JsonNode days =
        as(Role.READONLY)
            .get(
                "/api/v1/subscriptions/"
                    + sub
                    + "/usage?from="
                    + m1.atDay(1)
                    + "&to="
                    + now.atEndOfMonth())
            .json()
            .get("days");
    assertThat(days).hasSize(4);
    assertThat(days.get(0).get("day").asString()).isEqualTo(m1.atDay(1).toString());
    assertThat(days.get(2).get("day").asString()).isEqualTo(m4.atDay(1).toString());
    assertThat(days.get(2).get("usage").get("users").asLong()).isEqualTo(260);
    JsonNode list = as(Role.READONLY).get("/api/v1/subscriptions/" + sub + "/usage-reports").json();
    assertThat(list).hasSize(2);
    assertThat(list.get(0).get("missing_months").get(0).asString())
        .isEqualTo(now.minusMonths(2).toString());
    assertThat(list.get(0).get("imported_by").asString()).startsWith("support-user");

    // Above the limit: the account team and the webhooks hear it, from the report.
    JsonNode alerts =
        admin().get("/api/v1/events?type=usage.over_limit&subscription_id=" + sub).json();
    assertThat(alerts).hasSize(1);
    assertThat(alerts.get(0).get("actor").asString()).isEqualTo("usage-report:air-1");
    assertThat(
            admin().get("/api/v1/events?type=usage_report.imported&subscription_id=" + sub).json())
        .hasSize(2);

    // Nothing in a report changes what the license grants.
    Api.Response licenseAfter = admin().get("/api/v1/licenses/" + license);
    assertThat(licenseAfter.status()).isEqualTo(200);
    assertThat(licenseAfter.field("text")).isEqualTo(issued.field("text"));
    assertThat(admin().get("/api/v1/licenses?subscription_id=" + sub).json()).hasSize(1);
  }

  @Test
  void a_replay_another_key_and_a_chain_that_went_backwards_are_refused_and_change_nothing() {
    String sub = createSubscription("Replay Corp");
    String license = issued(sub, "P365D").field("id");
    KeyPair key = installationKey();
    YearMonth now = thisMonth();
    String first = report(key, license, "air-2", 5, 40, Map.of(now.minusMonths(1), 10L));
    assertThat(upload(first).status()).isEqualTo(201);

    Api.Response replay = upload(first);
    assertThat(replay.status()).isEqualTo(409);
    assertThat(replay.code()).isEqualTo("usage_report.replayed");
    Api.Response older = upload(report(key, license, "air-2", 4, 41, Map.of(now, 10L)));
    assertThat(older.code()).isEqualTo("usage_report.replayed");

    Api.Response otherKey =
        upload(report(installationKey(), license, "air-2", 6, 50, Map.of(now, 10L)));
    assertThat(otherKey.status()).isEqualTo(409);
    assertThat(otherKey.code()).isEqualTo("usage_report.installation_key_mismatch");

    Api.Response backwards = upload(report(key, license, "air-2", 6, 39, Map.of(now, 10L)));
    assertThat(backwards.status()).isEqualTo(409);
    assertThat(backwards.code()).isEqualTo("usage_report.chain_backwards");

    assertThat(imports(sub)).isEqualTo(1);
    // The refused reports' month is not in the history.
    assertThat(
            as(Role.READONLY)
                .get(
                    "/api/v1/subscriptions/"
                        + sub
                        + "/usage?from="
                        + now.atDay(1)
                        + "&to="
                        + now.atEndOfMonth())
                .json()
                .get("days"))
        .isEmpty();
    // The next honest report still goes in: the refusals left the installation as it was.
    assertThat(upload(report(key, license, "air-2", 6, 41, Map.of(now, 12L))).status())
        .isEqualTo(201);
  }

  @Test
  void forged_malformed_foreign_and_oversized_reports_get_typed_errors() {
    String sub = createSubscription("Forgery Corp");
    String license = issued(sub, "P365D").field("id");
    KeyPair key = installationKey();
    YearMonth now = thisMonth();
    String honest = report(key, license, "air-3", 1, 3, Map.of(now, 100L));

    // The payload changed after signing (users 100 → 900).
    JsonNode envelope = tools.jackson.databind.json.JsonMapper.builder().build().readTree(honest);
    String payload =
        new String(
            Base64.getDecoder().decode(envelope.get("payload").asString()), StandardCharsets.UTF_8);
    String forgedPayload = payload.replace("\"users\":100", "\"users\":900");
    assertThat(forgedPayload).isNotEqualTo(payload);
    String forged =
        honest.replace(
            envelope.get("payload").asString(),
            Base64.getEncoder().encodeToString(forgedPayload.getBytes(StandardCharsets.UTF_8)));
    assertCode(upload(forged), 400, "usage_report.signature_mismatch");

    assertCode(upload("not json"), 400, "usage_report.malformed");
    assertCode(
        upload(honest.replace("keyturn-usage-report-v1", "keyturn-usage-report-v9")),
        400,
        "usage_report.unsupported_format");
    assertCode(
        upload(report(key, "lic_not_ours", "air-3", 1, 3, Map.of(now, 1L))),
        422,
        "usage_report.unknown_license");
    String other = createSubscription("Other Forgery Corp");
    assertCode(
        as(Role.SUPPORT).post("/api/v1/usage-reports?subscription_id=" + other, honest),
        409,
        "usage_report.wrong_subscription");
    assertCode(
        upload(
            "{\"format\":\"keyturn-usage-report-v1\",\"payload\":\"" + "A".repeat(300_000) + "\"}"),
        413,
        "usage_report.too_large");
    assertCode(upload("x".repeat(600_000)), 413, "request.too_large");
    assertThat(as(Role.READONLY).post("/api/v1/usage-reports", honest).status()).isEqualTo(403);
    assertThat(anonymous().post("/api/v1/usage-reports", honest).status()).isEqualTo(401);

    assertThat(imports(sub)).isZero();
    assertThat(imports(other)).isZero();
    // The honest report was never bound by the refusals: it imports as the first.
    Api.Response ok = upload(honest);
    assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
    assertThat(ok.json().get("first_import").asBoolean()).isTrue();
  }

  private static void assertCode(Api.Response r, int status, String code) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.code()).as(r.toString()).isEqualTo(code);
  }
}
