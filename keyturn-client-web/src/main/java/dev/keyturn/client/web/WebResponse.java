package dev.keyturn.client.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An answer the web module writes instead of the product: status, content type, extra headers and
 * the body bytes.
 */
public record WebResponse(
    int status, String contentType, Map<String, String> headers, byte[] body) {
  public static final String HTML = "text/html; charset=utf-8";
  public static final String JSON = "application/json";
  public static final String PROBLEM_JSON = "application/problem+json";

  public WebResponse {
    Objects.requireNonNull(contentType, "contentType");
    headers = Map.copyOf(headers);
    Objects.requireNonNull(body, "body");
  }

  static WebResponse html(int status, String html) {
    return new WebResponse(status, HTML, noStore(), html.getBytes(StandardCharsets.UTF_8));
  }

  static WebResponse json(int status, String contentType, byte[] json) {
    return new WebResponse(status, contentType, noStore(), json);
  }

  static WebResponse seeOther(String location) {
    Map<String, String> headers = new LinkedHashMap<>(noStore());
    headers.put("Location", location);
    return new WebResponse(303, "text/plain; charset=utf-8", headers, new byte[0]);
  }

  /** License answers change with every install and every tick of the clock: never cache them. */
  private static Map<String, String> noStore() {
    return Map.of("Cache-Control", "no-store", "X-Content-Type-Options", "nosniff");
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
