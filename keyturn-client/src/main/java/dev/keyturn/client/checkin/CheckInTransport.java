package dev.keyturn.client.checkin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.keyturn.client.store.Json;
import dev.keyturn.core.license.SignedLicense;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Speaks the check-in wire contract over {@link HttpClient}:
 *
 * <pre>
 * POST {server}/api/v1/check-in
 * Authorization: Bearer kt_lic_&lt;hex SHA-256 of the license's signature bytes&gt;
 * {"license_id", "instance_id", "instance_domain", "usage": {…}, "client_version"}
 *
 * 200 {"standing": {…}, "revoked": false, "license": "&lt;newest .license.toml text or null&gt;",
 *      "check_in_after": "PT12H"}
 * 401 unknown license
 * 403 {"revoked": true, "reason": …}
 * 409 another instance holds this license
 * </pre>
 *
 * <p>A payment is failing when the answer says {@code "payment_failing": true} (the server sends it
 * at the top level), or its standing object does ({@code payment_failing}, or a {@code flags} array
 * holding {@code "PAYMENT_FAILING"}); the standing's {@code message} is shown with it. Everything
 * else in the standing is informational. Network failures surface as {@link IOException}, for the
 * caller to ignore.
 */
public final class CheckInTransport {
  private static final int MAX_BODY_BYTES = 256 * 1024;

  private final CheckInSettings settings;
  private final HttpClient http;

  public CheckInTransport(CheckInSettings settings) {
    this.settings = settings;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.timeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * @param signatureHash hex SHA-256 of the license's signature bytes
   */
  public CheckInReply send(CheckInRequest request, String signatureHash)
      throws IOException, InterruptedException {
    byte[] body;
    try {
      body = Json.MAPPER.writeValueAsBytes(request);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a check-in request always serializes", e);
    }
    HttpRequest http =
        HttpRequest.newBuilder(settings.endpoint())
            .timeout(settings.timeout())
            .header(
                "Authorization", "Bearer " + SignedLicense.CHECK_IN_TOKEN_PREFIX + signatureHash)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpResponse<InputStream> response =
        this.http.send(http, HttpResponse.BodyHandlers.ofInputStream());
    byte[] bytes;
    try (InputStream in = response.body()) {
      bytes = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (bytes.length > MAX_BODY_BYTES) {
      return CheckInReply.of(
          CheckInReply.Kind.UNEXPECTED,
          response.statusCode(),
          "the answer is larger than " + MAX_BODY_BYTES + " bytes");
    }
    return decode(response.statusCode(), new String(bytes, StandardCharsets.UTF_8));
  }

  /** Decodes an answer of the contract; public for the conformance vectors of other languages. */
  public static CheckInReply decode(int status, String body) {
    switch (status) {
      case 200:
        return decodeOk(body);
      case 401:
        return CheckInReply.of(CheckInReply.Kind.UNKNOWN_LICENSE, status, null);
      case 403:
        {
          // Only an explicit revocation locks: a 403 from a proxy or a misconfiguration must not.
          Optional<JsonNode> node = parse(body);
          if (node.isPresent() && node.get().path("revoked").asBoolean(false)) {
            return CheckInReply.of(
                CheckInReply.Kind.REVOKED, status, text(node.get(), "reason").orElse(null));
          }
          return CheckInReply.of(
              CheckInReply.Kind.UNEXPECTED, status, "403 without \"revoked\": true");
        }
      case 409:
        return CheckInReply.of(CheckInReply.Kind.CONFLICT, status, null);
      default:
        return CheckInReply.of(CheckInReply.Kind.UNEXPECTED, status, "HTTP status " + status);
    }
  }

  private static CheckInReply decodeOk(String body) {
    Optional<JsonNode> parsed = parse(body);
    if (parsed.isEmpty() || !parsed.get().isObject()) {
      return CheckInReply.of(CheckInReply.Kind.UNEXPECTED, 200, "the answer is not a JSON object");
    }
    JsonNode node = parsed.get();
    JsonNode licenseNode = node.path("license");
    if (!licenseNode.isMissingNode() && !licenseNode.isNull() && !licenseNode.isTextual()) {
      return CheckInReply.of(CheckInReply.Kind.UNEXPECTED, 200, "\"license\" is not a string");
    }
    Optional<Duration> after;
    try {
      after = text(node, "check_in_after").map(Duration::parse);
    } catch (DateTimeParseException e) {
      return CheckInReply.of(
          CheckInReply.Kind.UNEXPECTED, 200, "\"check_in_after\" is not an ISO-8601 duration");
    }
    JsonNode standing = node.path("standing");
    boolean paymentFailing =
        node.path("payment_failing").asBoolean(false)
            || standing.path("payment_failing").asBoolean(false);
    for (JsonNode flag : standing.path("flags")) {
      paymentFailing |= "PAYMENT_FAILING".equals(flag.asText());
    }
    boolean revoked = node.path("revoked").asBoolean(false);
    return new CheckInReply(
        revoked ? CheckInReply.Kind.REVOKED : CheckInReply.Kind.OK,
        200,
        text(node, "reason"),
        licenseNode.isTextual() ? Optional.of(licenseNode.asText()) : Optional.empty(),
        after,
        paymentFailing,
        text(standing, "message"));
  }

  private static Optional<JsonNode> parse(String body) {
    try {
      return Optional.ofNullable(Json.LENIENT.readTree(body));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isTextual() && !v.asText().isBlank() ? Optional.of(v.asText()) : Optional.empty();
  }
}
