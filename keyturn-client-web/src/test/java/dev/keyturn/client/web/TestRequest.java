package dev.keyturn.client.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A {@link WebRequest} built in a test: what a browser on {@code HOST} would send. */
final class TestRequest implements WebRequest {
  static final String HOST = "notes.acme.example:8080";
  static final String ORIGIN = "http://" + HOST;

  private final String method;
  private final String path;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final Map<String, String> query = new LinkedHashMap<>();
  private String contextPath = "";
  private byte[] body = new byte[0];

  private TestRequest(String method, String path) {
    this.method = method;
    this.path = path;
    header("Host", HOST);
  }

  /** A page load. */
  static TestRequest page(String path) {
    return new TestRequest("GET", path)
        .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
  }

  /** A fetch() from a script. */
  static TestRequest api(String method, String path) {
    return new TestRequest(method, path).header("Accept", "application/json");
  }

  /** A same-origin POST from a script. */
  static TestRequest post(String path) {
    return api("POST", path).header("Origin", ORIGIN);
  }

  /** A same-origin form POST from a page. */
  static TestRequest formPost(String path) {
    return new TestRequest("POST", path)
        .header("Accept", "text/html,*/*;q=0.8")
        .header("Origin", ORIGIN);
  }

  TestRequest header(String name, String value) {
    headers.put(name.toLowerCase(Locale.ROOT), value);
    return this;
  }

  TestRequest withoutHeader(String name) {
    headers.remove(name.toLowerCase(Locale.ROOT));
    return this;
  }

  TestRequest query(String name, String value) {
    query.put(name, value);
    return this;
  }

  TestRequest contextPath(String contextPath) {
    this.contextPath = contextPath;
    return this;
  }

  TestRequest body(String contentType, String text) {
    return body(contentType, text.getBytes(StandardCharsets.UTF_8));
  }

  TestRequest body(String contentType, byte[] bytes) {
    header("Content-Type", contentType);
    this.body = bytes;
    return this;
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String contextPath() {
    return contextPath;
  }

  @Override
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  @Override
  public Optional<String> queryParameter(String name) {
    return Optional.ofNullable(query.get(name));
  }

  @Override
  public byte[] body(int maxBytes) {
    if (body.length > maxBytes) {
      throw new PayloadTooLargeException(maxBytes);
    }
    return body;
  }
}
