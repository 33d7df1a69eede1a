package dev.keyturn.server.security.internal;

import dev.keyturn.server.security.LoginThrottledException;
import dev.keyturn.server.security.PasswordSignInRefusedException;
import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** 401 and 403 from the security filters, in the same problem shape as every other error. */
@Component
class ProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler {
  private final JsonMapper json;

  ProblemResponses(JsonMapper json) {
    this.json = json;
  }

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    if (e instanceof LoginThrottledException throttled) {
      response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(throttled.retryAfterSeconds()));
      write(request, response, ErrorCode.RATE_LIMITED, throttled.getMessage());
      return;
    }
    if (e instanceof PasswordSignInRefusedException refused) {
      unauthenticated(request, response, refused.getMessage());
      return;
    }
    if (e instanceof InternalAuthenticationServiceException
        && e.getCause() instanceof DataAccessException) {
      // The password could not be checked: not the caller's fault, and not a 401.
      databaseUnavailable(request, response);
      return;
    }
    unauthenticated(
        request,
        response,
        "sign in with HTTP Basic (user and password) or an API token (Authorization: Bearer"
            + " kt_api_…)");
  }

  void unauthenticated(HttpServletRequest request, HttpServletResponse response, String detail)
      throws IOException {
    response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"keyturn\"");
    write(request, response, ErrorCode.UNAUTHENTICATED, detail);
  }

  void databaseUnavailable(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setHeader(HttpHeaders.RETRY_AFTER, Problems.RETRY_AFTER_SECONDS);
    write(request, response, ErrorCode.SERVICE_UNAVAILABLE, Problems.DATABASE_UNAVAILABLE);
  }

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    write(
        request,
        response,
        ErrorCode.FORBIDDEN,
        "your role may not " + request.getMethod() + " " + request.getRequestURI());
  }

  private void write(
      HttpServletRequest request, HttpServletResponse response, ErrorCode code, String detail)
      throws IOException {
    response.setStatus(code.status().value());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    json.writeValue(
        response.getOutputStream(), Problems.asMap(code, detail, request.getRequestURI()));
  }
}
