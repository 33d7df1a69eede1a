package dev.keyturn.server.billing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP server speaking Stripe's wire format for Billing Portal sessions: form-encoded
 * request, bearer API key, the session object as JSON.
 */
final class FakeStripeApi {
  /** A customer Stripe answers an error for, as it does for a deleted customer. */
  static final String REFUSED_CUSTOMER = "cus_RefusedByStripe";

  record Call(String method, String path, String authorization, Map<String, String> form) {}

  final List<Call> calls = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  FakeStripeApi() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          Map<String, String> form = new LinkedHashMap<>();
          for (String pair : body.split("&")) {
            if (!pair.isEmpty()) {
              int eq = pair.indexOf('=');
              form.put(
                  URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                  URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
          }
          String path = exchange.getRequestURI().getPath();
          calls.add(
              new Call(
                  exchange.getRequestMethod(),
                  path,
                  exchange.getRequestHeaders().getFirst("Authorization"),
                  form));
          String answer;
          int status;
          if (path.equals("/v1/billing_portal/sessions")
              && form.containsKey("customer")
              && !form.get("customer").equals(REFUSED_CUSTOMER)) {
            status = 200;
            answer =
                StripeFixtures.event(
                    "billing_portal.session",
                    Map.of(
                        "created",
                        1_800_000_000L,
                        "customer",
                        form.get("customer"),
                        "return_url",
                        form.getOrDefault("return_url", ""),
                        "url",
                        "https://billing.example/p/session/" + form.get("customer")));
          } else {
            status = 400;
            answer =
                REFUSED_CUSTOMER.equals(form.get("customer"))
                    ? "{\"error\":{\"code\":\"resource_missing\",\"param\":\"customer\","
                        + "\"type\":\"invalid_request_error\",\"message\":\"No such customer: '"
                        + REFUSED_CUSTOMER
                        + "'\"}}"
                    : "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Unrecognized"
                        + " request URL (POST: "
                        + path
                        + ")\"}}";
          }
          byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.getResponseHeaders().add("Request-Id", "req_test");
          exchange.sendResponseHeaders(status, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
  }

  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Call> portalCalls() {
    return calls.stream().filter(c -> c.path().equals("/v1/billing_portal/sessions")).toList();
  }
}
