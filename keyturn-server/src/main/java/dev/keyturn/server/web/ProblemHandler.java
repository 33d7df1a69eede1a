package dev.keyturn.server.web;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place where exceptions become HTTP problems. Every problem carries a stable {@code code}
 * from {@link ErrorCode}, including the framework's own errors (bad JSON, wrong method…).
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

  @ExceptionHandler(KeyturnServerException.class)
  ResponseEntity<ProblemDetail> keyturn(KeyturnServerException e) {
    return respond(Problems.of(e.code(), e.getMessage(), e.properties()));
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
    ValidationException v =
        ValidationException.of(e.getName(), "'" + e.getValue() + "' is not a valid value");
    return keyturn(v);
  }

  /**
   * The database does not answer (no connection within the pool's timeout, or a broken one): 503,
   * so clients and load balancers retry instead of reading a 500 as a bug.
   */
  @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class})
  ResponseEntity<ProblemDetail> databaseUnavailable(DataAccessException e) {
    log.warn("database unavailable: {}", e.getMostSpecificCause().toString());
    return ResponseEntity.status(ErrorCode.SERVICE_UNAVAILABLE.status())
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .header(HttpHeaders.RETRY_AFTER, Problems.RETRY_AFTER_SECONDS)
        .body(Problems.of(ErrorCode.SERVICE_UNAVAILABLE, Problems.DATABASE_UNAVAILABLE, Map.of()));
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e) {
    log.error("unexpected error", e);
    return respond(
        Problems.of(
            ErrorCode.INTERNAL,
            "an unexpected error occurred; the server log has the details",
            Map.of()));
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    RequestTooLargeException tooLarge = tooLarge(ex);
    if (tooLarge != null) {
      headers.set(HttpHeaders.CONNECTION, "close"); // the rest of the body is never read
      ProblemDetail problem =
          Problems.of(
              ErrorCode.REQUEST_TOO_LARGE,
              "the body may be at most " + RequestSizeLimitFilter.describe(tooLarge.limit()),
              Map.of("max_bytes", tooLarge.limit().toBytes()));
      return handleExceptionInternal(
          ex, problem, headers, ErrorCode.REQUEST_TOO_LARGE.status(), request);
    }
    // Names the offending field, without Java class names.
    ProblemDetail problem =
        Problems.of(
            ErrorCode.MALFORMED_REQUEST, JsonErrors.describe(ex.getMostSpecificCause()), Map.of());
    return handleExceptionInternal(ex, problem, headers, status, request);
  }

  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception ex, Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    ResponseEntity<Object> response =
        super.handleExceptionInternal(ex, body, headers, status, request);
    if (response != null && response.getBody() instanceof ProblemDetail problem) {
      if (problem.getProperties() == null || !problem.getProperties().containsKey("code")) {
        problem.setProperty("code", ErrorCode.forStatus(status.value()).code());
      }
    }
    return response;
  }

  private static RequestTooLargeException tooLarge(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RequestTooLargeException r) {
        return r;
      }
    }
    return null;
  }

  private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
    return ResponseEntity.status(problem.getStatus())
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }
}
