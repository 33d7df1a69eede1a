package dev.keyturn.server.billing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stripe's event JSON (files under {@code src/test/resources/stripe}, with {@code {{name}}}
 * placeholders) and its signature scheme: {@code t=<unix>,v1=hex(HMAC-SHA256(secret, t + "." +
 * payload))}, computed here independently of stripe-java.
 */
final class StripeFixtures {
  static final String SECRET = "whsec_keyturnTestEndpointSecret0123456789";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private StripeFixtures() {}

  static String event(String name, Map<String, ?> values) {
    String text = resource("/stripe/" + name + ".json");
    for (Map.Entry<String, ?> e : values.entrySet()) {
      text = text.replace("{{" + e.getKey() + "}}", String.valueOf(e.getValue()));
    }
    if (text.contains("{{")) {
      throw new IllegalArgumentException(
          name + ": unfilled placeholder at " + text.substring(text.indexOf("{{")));
    }
    return text;
  }

  static String resource(String path) {
    try (InputStream in = StripeFixtures.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String signature(String payload, String secret, long timestamp) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] v1 = mac.doFinal((timestamp + "." + payload).getBytes(StandardCharsets.UTF_8));
      return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(v1);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse<String> post(int port, String payload, String signature) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/stripe"))
            .header("Content-Type", "application/json; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(payload));
    if (signature != null) {
      b.header("Stripe-Signature", signature);
    }
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
