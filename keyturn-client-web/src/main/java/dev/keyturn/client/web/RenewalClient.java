package dev.keyturn.client.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Sends a renewal request to the Keyturn server, from the product's server side (the browser never
 * holds the license token):
 *
 * <pre>
 * POST {server}/api/v1/renewal-requests
 * Authorization: Bearer kt_lic_&lt;hex SHA-256 of the license's signature bytes&gt;
 * {"license_id", "subscription_id", "customer", "tier", "expires_at", "instance_domain",
 *  "instance_id", "contact_name", "contact_email", "message"}
 *
 * 2xx {"id": "…", "message": "…"}     accepted; both fields optional
 * anything else                        refused; a problem's "detail" (or "message") is shown
 * </pre>
 */
final class RenewalClient {
  private static final int MAX_ANSWER_BYTES = 64 * 1024;

  private final URI endpoint;
  private final Duration timeout;
  private final HttpClient http;

  RenewalClient(URI endpoint, Duration timeout) {
    this.endpoint = endpoint;
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** What the server said, in words for the person who clicked "Renew". */
  record Answer(boolean accepted, int status, Optional<String> reference, String message) {}

  record Outgoing(
      String licenseId,
      String subscriptionId,
      String customer,
      String tier,
      String expiresAt,
      String instanceDomain,
      String instanceId,
      String contactName,
      String contactEmail,
      String message) {}

  Answer send(Outgoing request, String token) {
    HttpRequest post =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(request)))
            .build();
    HttpResponse<InputStream> response;
    byte[] body;
    try {
      response = http.send(post, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = response.body()) {
        body = in.readNBytes(MAX_ANSWER_BYTES);
      }
    } catch (IOException e) {
      return new Answer(
          false,
          0,
          Optional.empty(),
          "The renewal server could not be reached (" + e.getClass().getSimpleName() + ").");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(false, 0, Optional.empty(), "The renewal request was interrupted.");
    }
    Optional<JsonNode> json = Json.readObject(body);
    int status = response.statusCode();
    if (status / 100 == 2) {
      Optional<String> reference = json.flatMap(j -> Json.text(j, "id"));
      String message =
          json.flatMap(j -> Json.text(j, "message"))
              .orElse(
                  "Your renewal request was sent"
                      + reference.map(r -> " (reference " + r + ")").orElse("")
                      + ".");
      return new Answer(true, status, reference, message);
    }
    String reason =
        json.flatMap(j -> Json.text(j, "detail").or(() -> Json.text(j, "message")))
            .map(d -> ": " + d)
            .orElse(".");
    return new Answer(
        false,
        status,
        Optional.empty(),
        "The renewal server did not accept the request (HTTP " + status + ")" + reason);
  }
}
