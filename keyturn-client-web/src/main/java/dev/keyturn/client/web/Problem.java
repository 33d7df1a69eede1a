package dev.keyturn.client.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An RFC 9457 problem: the stable {@code code} ({@link WebError} or a {@link
 * dev.keyturn.core.VerificationCode}), the status, a title and what happened in words.
 *
 * @param extras more members, e.g. {@code excesses} for {@code USAGE_EXCEEDS_LIMITS}
 */
record Problem(String code, int status, String title, String detail, Map<String, Object> extras) {

  Problem {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(detail, "detail");
    extras = Map.copyOf(extras);
  }

  static Problem of(WebError error, String detail) {
    return new Problem(error.name(), error.status(), error.title(), detail, Map.of());
  }

  WebResponse toJson() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("title", title);
    body.put("status", status);
    body.put("code", code);
    body.put("detail", detail);
    body.putAll(extras);
    return WebResponse.json(status, WebResponse.PROBLEM_JSON, Json.write(body));
  }
}
