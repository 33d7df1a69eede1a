package dev.keyturn.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyturn.client.checkin.CheckInReply;
import dev.keyturn.client.checkin.CheckInRequest;
import dev.keyturn.client.checkin.CheckInSettings;
import dev.keyturn.client.checkin.CheckInTransport;
import dev.keyturn.client.store.Json;
import dev.keyturn.core.license.SignedLicense;
import dev.keyturn.core.lifecycle.Lifecycle;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.core.lifecycle.Standing;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code vectors/check-in.json}: the token each license presents, the request the client sends, and
 * how the client reads each answer of the server.
 */
final class CheckInVectors {
  private static final Instant NOW = Fixtures.MID_TERM;

  private CheckInVectors() {}

  static ObjectNode build() {
    ObjectNode root =
        Vectors.header(
            "check-in",
            "Check-in: the token of a license, the request body, and the decoding of each answer.");
    ObjectNode endpoint = root.putObject("endpoint");
    endpoint.put("method", "POST");
    endpoint.put("path", "/api/v1/check-in");
    endpoint.put(
        "authorization", "Bearer " + SignedLicense.CHECK_IN_TOKEN_PREFIX + "<signature_hash>");
    endpoint.put("content_type", "application/json");
    endpoint.put("accept", "application/json");
    endpoint.put("max_answer_bytes", 256 * 1024);
    ObjectNode intervals = root.putObject("intervals");
    intervals.put("default_seconds", CheckInSettings.DEFAULT_INTERVAL.toSeconds());
    intervals.put(
        "retry_after_failure_seconds", CheckInSettings.DEFAULT_RETRY_AFTER_FAILURE.toSeconds());
    intervals.put("min_seconds", CheckInSettings.MIN_INTERVAL.toSeconds());
    intervals.put("max_seconds", CheckInSettings.MAX_INTERVAL.toSeconds());
    root.set("tokens", tokens());
    root.set("requests", requests());
    root.set("answers", answers());
    return root;
  }

  private static ArrayNode tokens() {
    ArrayNode out = JsonOut.array();
    Map<String, SignedLicense> licenses = new LinkedHashMap<>();
    licenses.put("base", Fixtures.base());
    licenses.put(
        "rotated-key", sign(Fixtures.baseLicense().id("lic-conformance-0000"), Fixtures.OLD_KEY));
    licenses.put("renewal", Fixtures.renewal());
    licenses.put("subscription", Fixtures.subscription());
    licenses.forEach(
        (name, signed) -> {
          ObjectNode t = out.addObject();
          t.put("name", name);
          String text = signed.toToml();
          t.put(
              "file_base64",
              Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
          t.put("file_text", text);
          t.put("signature_base64", signed.signature().value());
          t.put("signature_hash", signed.signatureHash());
          t.put("check_in_token", signed.checkInToken());
          // The same token after the file went through mail: it names the signature, not the text.
          t.put(
              "token_of_crlf_copy",
              new dev.keyturn.core.license.LicenseReader()
                  .read(text.replace("\n", "\r\n"))
                  .checkInToken());
        });
    return out;
  }

  private static ArrayNode requests() {
    ArrayNode out = JsonOut.array();
    request(
        out,
        "with-domain-and-usage",
        "lic-conformance-0001",
        "ki_0123456789abcdef0123456789abcdef",
        Fixtures.INSTANCE_DOMAIN,
        Map.of("users", 42L, "devices", 7L, "api_calls", 0L),
        "0.1.0");
    request(
        out,
        "without-domain",
        "lic-conformance-0003",
        "ki_fedcba9876543210fedcba9876543210",
        null,
        Map.of(),
        "0.1.0");
    request(
        out,
        "unicode-version",
        "lic-conformance-0001",
        "inst-01.example_A",
        Fixtures.INSTANCE_DOMAIN,
        Map.of("z", 1L, "a", 2L, "M", 3L),
        "python-keyturn 1.0 \u00e9");
    // Issue 18: one installation of several nodes; every node sends the installation's id.
    request(
        out,
        "node-of-a-multi-node-installation",
        "lic-conformance-0001",
        "acme-prod-cluster",
        Fixtures.INSTANCE_DOMAIN,
        Map.of("users", 42L),
        "0.1.0",
        "node-b.eu-west:2");
    return out;
  }

  private static void request(
      ArrayNode out,
      String name,
      String licenseId,
      String instanceId,
      String domain,
      Map<String, Long> usage,
      String version) {
    request(out, name, licenseId, instanceId, domain, usage, version, null);
  }

  /**
   * @param node the node of a multi-node installation; null for none (the input has no "node" and
   *     the body leaves it out)
   */
  private static void request(
      ArrayNode out,
      String name,
      String licenseId,
      String instanceId,
      String domain,
      Map<String, Long> usage,
      String version,
      String node) {
    CheckInRequest r = new CheckInRequest(licenseId, instanceId, domain, usage, version, node);
    ObjectNode c = out.addObject();
    c.put("name", name);
    ObjectNode in = c.putObject("input");
    in.put("license_id", licenseId);
    in.put("instance_id", instanceId);
    if (domain == null) {
      in.putNull("instance_domain");
    } else {
      in.put("instance_domain", domain);
    }
    ObjectNode u = in.putObject("usage");
    new java.util.TreeMap<>(usage).forEach(u::put);
    in.put("client_version", version);
    if (node != null) {
      in.put("node", node);
    }
    try {
      String body = Json.MAPPER.writeValueAsString(r);
      c.put("expected_body_text", body);
      c.set("expected_body", JsonOut.MAPPER.readTree(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ArrayNode answers() {
    SignedLicense renewal = Fixtures.renewal();
    ArrayNode out = JsonOut.array();
    answer(
        out,
        "ok",
        "the server's answer for a license in force",
        200,
        serverOk("lic-conformance-0001", Fixtures.EXPIRES_AT, null, "PT12H", false, false));
    answer(
        out,
        "ok-renewed",
        "a newer license comes with the answer",
        200,
        serverOk(
            "lic-conformance-0002",
            Instant.parse("2028-11-22T00:00:00Z"),
            renewal.toToml(),
            "PT12H",
            false,
            false));
    answer(
        out,
        "ok-payment-failing",
        "billing marked the subscription's payment as failing (top-level flag)",
        200,
        serverOk("lic-conformance-0001", Fixtures.EXPIRES_AT, null, "PT12H", true, false));
    answer(
        out,
        "ok-payment-failing-in-standing",
        "the flag inside standing, with a message",
        200,
        "{\"standing\":{\"payment_failing\":true,\"message\":\"Payment failed: update your card.\"},\"revoked\":false,\"license\":null,\"check_in_after\":\"PT1H\"}");
    answer(
        out,
        "ok-payment-failing-as-flag",
        "the flag in standing.flags",
        200,
        "{\"standing\":{\"flags\":[\"PAYMENT_FAILING\"]},\"revoked\":false,\"license\":null,\"check_in_after\":\"PT2H\",\"something_new\":1}");
    answer(
        out,
        "ok-revoked-200",
        "a 200 answer that says revoked",
        200,
        "{\"standing\":{},\"revoked\":true,\"reason\":\"refunded\",\"license\":null,\"check_in_after\":\"PT12H\"}");
    answer(
        out,
        "ok-no-check-in-after",
        "no check_in_after: the configured interval applies",
        200,
        "{\"standing\":{},\"revoked\":false,\"license\":null}");
    answer(
        out,
        "ok-check-in-after-too-short",
        "PT10S is raised to the minimum",
        200,
        "{\"standing\":{},\"revoked\":false,\"license\":null,\"check_in_after\":\"PT10S\"}");
    answer(
        out,
        "ok-check-in-after-too-long",
        "P30D is lowered to the maximum",
        200,
        "{\"standing\":{},\"revoked\":false,\"license\":null,\"check_in_after\":\"P30D\"}");
    answer(
        out,
        "ok-check-in-after-days",
        "P2DT3H is an ISO-8601 duration too",
        200,
        "{\"standing\":{},\"revoked\":false,\"license\":null,\"check_in_after\":\"P2DT3H\"}");
    answer(out, "ok-empty-object", "an empty object is a valid OK", 200, "{}");
    answer(
        out, "bad-not-json", "200 with a body that is not JSON", 200, "<html>maintenance</html>");
    answer(out, "bad-array", "200 with a JSON array", 200, "[]");
    answer(out, "bad-license-not-string", "\"license\" of the wrong type", 200, "{\"license\":42}");
    answer(
        out,
        "bad-check-in-after",
        "\"check_in_after\" that is no duration",
        200,
        "{\"check_in_after\":\"soon\"}");
    answer(
        out,
        "unknown-license",
        "401: the server does not know the token",
        401,
        "{\"type\":\"urn:keyturn:problem:license.unknown_token\",\"title\":\"Unknown or missing license token\",\"status\":401,\"detail\":\"unknown or missing license token\",\"code\":\"license.unknown_token\"}");
    answer(out, "unknown-license-empty", "401 with no body", 401, "");
    answer(
        out,
        "revoked-403",
        "403 problem with \"revoked\": true and the reason",
        403,
        "{\"type\":\"urn:keyturn:problem:license.revoked\",\"title\":\"The license was revoked\",\"status\":403,\"detail\":\"license lic-conformance-0001 was revoked: refunded\",\"code\":\"license.revoked\",\"revoked\":true,\"reason\":\"refunded\",\"revoked_at\":\"2027-05-01T00:00:00Z\"}");
    answer(
        out,
        "forbidden-403-proxy",
        "403 without \"revoked\": true (a proxy): locks nothing",
        403,
        "<html>Forbidden</html>");
    answer(
        out,
        "conflict-409",
        "409: another instance holds the license",
        409,
        "{\"type\":\"urn:keyturn:problem:instance.conflict\",\"status\":409,\"code\":\"instance.conflict\"}");
    answer(out, "server-error-500", "500", 500, "oops");
    answer(out, "redirect-302", "redirects are not followed", 302, "");
    answer(out, "bad-request-400", "400", 400, "{\"status\":400}");
    return out;
  }

  /** An answer shaped as keyturn-server's CheckInResponse (snake_case, instants as ISO text). */
  private static String serverOk(
      String licenseId,
      Instant expiresAt,
      String license,
      String after,
      boolean paymentFailing,
      boolean revoked) {
    Standing s =
        Lifecycle.evaluate(
            expiresAt.minus(Duration.ofDays(365)),
            expiresAt,
            NOW,
            Policy.APPLIANCE,
            ZoneOffset.UTC);
    ObjectNode body = JsonOut.object();
    ObjectNode st = body.putObject("standing");
    st.put("license_id", licenseId);
    st.put("phase", s.phase().name());
    if (s.stageId().isEmpty()) {
      st.putNull("stage");
    } else {
      st.put("stage", s.stageId());
    }
    st.put("days_until_expiry", s.daysUntilExpiry());
    st.put("days_until_lock", s.daysUntilLock());
    ObjectNode b = st.putObject("banner");
    b.put("level", s.banner().level().name());
    b.put("dismissal", s.banner().dismissal().name());
    b.put("text", s.banner().text());
    st.put("mode", s.mode().name());
    st.put("expires_at", s.expiresAt().toString());
    st.put("locks_at", s.locksAt().toString());
    st.put("next_change_at", s.nextChangeAt().map(Instant::toString).orElse(null));
    body.put("revoked", revoked);
    if (license == null) {
      body.putNull("license");
    } else {
      body.put("license", license);
    }
    body.put("check_in_after", after);
    body.put("payment_failing", paymentFailing);
    try {
      return JsonOut.MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void answer(
      ArrayNode out, String name, String description, int status, String body) {
    CheckInReply r = CheckInTransport.decode(status, body);
    ObjectNode c = out.addObject();
    c.put("name", name);
    c.put("description", description);
    c.put("status", status);
    c.put("body", body);
    ObjectNode e = c.putObject("expected");
    e.put("kind", r.kind().name());
    e.put("reason", r.reason().orElse(null));
    e.put("license", r.license().orElse(null));
    if (r.checkInAfter().isPresent()) {
      e.put("check_in_after_seconds", r.checkInAfter().get().toSeconds());
    } else {
      e.putNull("check_in_after_seconds");
    }
    boolean failed = r.kind() == CheckInReply.Kind.UNEXPECTED;
    Duration next =
        failed
            ? CheckInSettings.DEFAULT_RETRY_AFTER_FAILURE
            : CheckInSettings.bounded(r.checkInAfter().orElse(CheckInSettings.DEFAULT_INTERVAL));
    e.put("next_check_in_seconds", next.toSeconds());
    e.put("payment_failing", r.paymentFailing());
    e.put("standing_message", r.standingMessage().orElse(null));
  }

  private static SignedLicense sign(dev.keyturn.core.license.License.Builder b, String key) {
    return Fixtures.signingKey(key).sign(b.build());
  }
}
