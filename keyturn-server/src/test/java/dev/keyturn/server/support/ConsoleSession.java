package dev.keyturn.server.support;

import static org.assertj.core.api.Assertions.assertThat;

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
 * A staff member's console session over plain HTTP, as a hand-made client sees it: a cookie jar,
 * and form posts with or without the CSRF token the pages carry.
 */
public final class ConsoleSession {
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  private final int port;
  private final HttpClient http =
      HttpClient.newBuilder()
          .cookieHandler(new CookieManager())
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private ConsoleSession(int port) {
    this.port = port;
  }

  /** Signs in through the login form (which needs the CSRF token too). */
  public static ConsoleSession signIn(int port, String username, String password) {
    ConsoleSession s = new ConsoleSession(port);
    String token = s.csrfOf("/console/login");
    HttpResponse<String> r =
        s.post(
            "/console/login", Map.of("username", username, "password", password, "_csrf", token));
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location").orElse("")).doesNotContain("error");
    return s;
  }

  /** A browser that has not signed in (the portal's sign-in page, the console's login). */
  public static ConsoleSession anonymous(int port) {
    return new ConsoleSession(port);
  }

  public HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  /** The CSRF token of the forms on that page. */
  public String csrfOf(String path) {
    HttpResponse<String> page = get(path);
    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    Matcher m = CSRF.matcher(page.body());
    assertThat(m.find()).as("a form with a CSRF token on " + path).isTrue();
    return m.group(1);
  }

  /** Posts the form fields exactly as given: add {@code _csrf} to send the token. */
  public HttpResponse<String> post(String path, Map<String, String> fields) {
    return post(path, fields, Map.of());
  }

  /** The same, with extra request headers (e.g. what a load balancer adds). */
  public HttpResponse<String> post(
      String path, Map<String, String> fields, Map<String, String> headers) {
    String body = formBody(fields);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return send(request);
  }

  /**
   * Posts a {@code multipart/form-data} form, as a browser uploads a file: the text fields (add
   * {@code _csrf} for the token) and one file part.
   */
  public HttpResponse<String> postFile(
      String path, Map<String, String> fields, String fileField, String fileName, byte[] file) {
    String boundary = "----keyturn-test-" + System.nanoTime();
    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
    java.util.function.Consumer<String> text =
        t -> body.writeBytes(t.getBytes(StandardCharsets.UTF_8));
    fields.forEach(
        (name, value) ->
            text.accept(
                "--"
                    + boundary
                    + "\r\nContent-Disposition: form-data; name=\""
                    + name
                    + "\"\r\n\r\n"
                    + value
                    + "\r\n"));
    text.accept(
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\""
            + fileField
            + "\"; filename=\""
            + fileName
            + "\"\r\nContent-Type: application/json\r\n\r\n");
    body.writeBytes(file);
    text.accept("\r\n--" + boundary + "--\r\n");
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
  }

  /** Form fields as a browser posts them ({@code application/x-www-form-urlencoded}). */
  public static String formBody(Map<String, String> fields) {
    return new LinkedHashMap<>(fields)
        .entrySet().stream()
            .map(
                e ->
                    URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                        + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
