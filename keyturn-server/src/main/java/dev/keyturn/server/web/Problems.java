package dev.keyturn.server.web;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.ProblemDetail;

/** Builds the one {@code application/problem+json} shape the API answers errors with. */
public final class Problems {
  private static final String TYPE_PREFIX = "urn:keyturn:problem:";

  /** What a 503 for a database outage says, wherever it is raised (filters or controllers). */
  public static final String DATABASE_UNAVAILABLE =
      "the database does not answer; nothing was changed, try again shortly";

  public static final String RETRY_AFTER_SECONDS = "5";

  private Problems() {}

  public static ProblemDetail of(ErrorCode code, String detail, Map<String, ?> properties) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(code.status(), detail);
    problem.setTitle(code.title());
    problem.setType(URI.create(TYPE_PREFIX + code.code()));
    problem.setProperty("code", code.code());
    properties.forEach(problem::setProperty);
    return problem;
  }

  /** The same problem as a plain map, for places outside Spring MVC (security filters). */
  public static Map<String, Object> asMap(ErrorCode code, String detail, String instance) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", TYPE_PREFIX + code.code());
    body.put("title", code.title());
    body.put("status", code.status().value());
    body.put("detail", detail);
    body.put("instance", instance);
    body.put("code", code.code());
    return body;
  }
}
