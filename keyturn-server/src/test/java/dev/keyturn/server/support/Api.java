package dev.keyturn.server.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for the server under test: real requests over loopback. */
public final class Api {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final String base;
  private final String authorization;

  public Api(int port, String authorization) {
    this.base = "http://127.0.0.1:" + port;
    this.authorization = authorization;
  }

  public static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  public static String bearer(String token) {
    return "Bearer " + token;
  }

  public Api as(String authorization) {
    return new Api(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), authorization);
  }

  public Response get(String path) {
    return send("GET", path, null);
  }

  public Response post(String path, Object body) {
    return send("POST", path, body);
  }

  public Response patch(String path, Object body) {
    return send("PATCH", path, body);
  }

  public Response send(String method, String path, Object body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      String text = body instanceof String s ? s : JSON.writeValueAsString(body);
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(text));
    }
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response, response.body());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A response; {@link #json()} parses the body. */
  public record Response(int status, HttpResponse<String> raw, String body) {
    public JsonNode json() {
      return JSON.readTree(body);
    }

    /** The problem's stable code, or null. */
    public String code() {
      JsonNode code = json().get("code");
      return code == null ? null : code.asString();
    }

    public String contentType() {
      return raw.headers().firstValue("Content-Type").orElse("");
    }

    public String field(String name) {
      return json().get(name).asString();
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }
}
