package dev.keyturn.server.console;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A console session over plain HTTP, as a hand-made form post would come: a session cookie and the
 * CSRF token read from a page, nothing the browser's page would stop.
 */
final class ConsoleSession {
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  private final String base;
  private final HttpClient http;

  private ConsoleSession(int port) {
    this.base = "http://localhost:" + port;
    this.http =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  static ConsoleSession signIn(int port, String username, String password) {
    ConsoleSession s = new ConsoleSession(port);
    HttpResponse<String> login =
        s.post(
            "/console/login",
            Map.of("username", username, "password", password),
            s.csrf("/console/login"));
    if (login.statusCode() != 302
        || login.headers().firstValue("Location").orElse("").contains("error")) {
      throw new IllegalStateException(
          "sign-in failed: " + login.statusCode() + " " + login.headers());
    }
    return s;
  }

  /** The CSRF token of the session, as the page at {@code path} carries it. */
  String csrf(String path) {
    Matcher m = CSRF.matcher(get(path).body());
    if (!m.find()) {
      throw new IllegalStateException("no CSRF token on " + path);
    }
    return m.group(1);
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  /** Posts a form with the token (null: without one). */
  HttpResponse<String> post(String path, Map<String, String> fields, String csrf) {
    Map<String, String> all = new LinkedHashMap<>(fields);
    if (csrf != null) {
      all.put("_csrf", csrf);
    }
    String body =
        all.entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
