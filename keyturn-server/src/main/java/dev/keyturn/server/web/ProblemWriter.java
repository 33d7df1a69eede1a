package dev.keyturn.server.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a problem from a servlet filter, in front of Spring MVC (same shape, same codes), and
 * sends it at once.
 */
@Component
public class ProblemWriter {
  private final JsonMapper json;

  ProblemWriter(JsonMapper json) {
    this.json = json;
  }

  public void write(
      HttpServletRequest request,
      HttpServletResponse response,
      ErrorCode code,
      String detail,
      Map<String, ?> properties)
      throws IOException {
    response.setStatus(code.status().value());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    Map<String, Object> body = Problems.asMap(code, detail, request.getRequestURI());
    body.putAll(properties);
    byte[] bytes = json.writeValueAsBytes(body);
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
    // Sent now, whole: a refused body may still be arriving, and the container would otherwise
    // wait for it before finishing the response.
    response.flushBuffer();
  }
}
