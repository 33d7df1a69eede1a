package dev.keyturn.client.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyturn.client.ClientStanding;
import dev.keyturn.client.LicenseManager;
import dev.keyturn.core.license.License;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /license/renewal-request}: the "Renew" form when the product checks in with a Keyturn
 * server. The request goes to the server from here, carrying the license token the browser never
 * sees; the server's answer is passed on in words.
 */
final class RenewalRoute {
  static final int MAX_BODY_BYTES = 16 * 1024;
  static final int MAX_NAME = 200;
  static final int MAX_EMAIL = 320;
  static final int MAX_MESSAGE = 4000;

  private final LicenseManager licenses;
  private final WebSettings settings;
  private final Optional<RenewalClient> client;

  RenewalRoute(LicenseManager licenses, WebSettings settings) {
    this.licenses = licenses;
    this.settings = settings;
    this.client =
        settings.renewalEndpoint().map(e -> new RenewalClient(e, settings.renewalTimeout()));
  }

  record Sent(boolean sent, String reference, String message) {}

  WebResponse handle(WebRequest r) throws IOException {
    if (client.isEmpty()) {
      return Problem.of(
              WebError.RENEWAL_NOT_CONFIGURED,
              "this product sends no renewal requests to a server; use the renewal link instead")
          .toJson();
    }
    byte[] body = r.body(MAX_BODY_BYTES);
    Map<String, String> form =
        r.header("Content-Type")
                .orElse("")
                .toLowerCase(Locale.ROOT)
                .startsWith("application/x-www-form-urlencoded")
            ? LicenseSubmission.urlEncoded(new String(body, StandardCharsets.US_ASCII))
            : Json.readObject(body).map(RenewalRoute::fields).orElse(Map.of());
    String name = form.getOrDefault("contact_name", "").strip();
    String email = form.getOrDefault("contact_email", "").strip();
    String message = form.getOrDefault("message", "").strip();
    if (name.length() > MAX_NAME || email.length() > MAX_EMAIL || message.length() > MAX_MESSAGE) {
      return Problem.of(
              WebError.BAD_REQUEST,
              "contact_name is limited to "
                  + MAX_NAME
                  + " characters, contact_email to "
                  + MAX_EMAIL
                  + ", message to "
                  + MAX_MESSAGE)
          .toJson();
    }
    ClientStanding s = licenses.standing();
    if (s.license().isEmpty()) {
      return Problem.of(
              WebError.BAD_REQUEST, "no license is installed, so there is nothing to renew")
          .toJson();
    }
    License l = s.license().get();
    Path stateDir = settings.stateDir().orElseThrow();
    Optional<String> token = LicenseToken.find(stateDir, l.id());
    if (token.isEmpty()) {
      return failed("The license in force was not found in " + stateDir + ".");
    }
    RenewalClient.Outgoing outgoing =
        new RenewalClient.Outgoing(
            l.id(),
            l.subscriptionId(),
            l.customer(),
            l.tier(),
            l.expiresAt().toString(),
            l.instanceDomain().orElse(null),
            LicenseToken.instanceId(stateDir).orElse(null),
            name.isEmpty() ? null : name,
            email.isEmpty() ? null : email,
            message.isEmpty() ? null : message);
    RenewalClient.Answer answer = client.get().send(outgoing, token.get());
    if (!answer.accepted()) {
      return failed(answer.message());
    }
    return WebResponse.json(
        200,
        WebResponse.JSON,
        Json.write(new Sent(true, answer.reference().orElse(null), answer.message())));
  }

  private WebResponse failed(String detail) {
    RenewalDetails details = RenewalDetails.of(licenses.standing().license());
    Map<String, Object> extras =
        RenewalLinks.link(settings, details)
            .<Map<String, Object>>map(href -> Map.of("fallback_href", href))
            .orElse(Map.of());
    return new Problem(
            WebError.RENEWAL_FAILED.name(),
            WebError.RENEWAL_FAILED.status(),
            WebError.RENEWAL_FAILED.title(),
            detail,
            extras)
        .toJson();
  }

  private static Map<String, String> fields(JsonNode json) {
    Map<String, String> out = new HashMap<>();
    for (String f : new String[] {"contact_name", "contact_email", "message"}) {
      Json.text(json, f).ifPresent(v -> out.put(f, v));
    }
    return out;
  }
}
