package dev.keyturn.server.checkin.internal;

import dev.keyturn.server.license.LicenseTokens;
import dev.keyturn.server.license.Licenses;
import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.ProblemWriter;
import dev.keyturn.server.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A check-in is authenticated from its headers before its body is read: a missing or unknown
 * license token is answered 401 without parsing anything (the service checks the token again, with
 * revocation and instance, once the body is read).
 */
final class LicenseTokenGate extends OncePerRequestFilter {
  private final Licenses licenses;
  private final ProblemWriter problems;

  LicenseTokenGate(Licenses licenses, ProblemWriter problems) {
    this.licenses = licenses;
    this.problems = problems;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    String token =
        authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
            ? authorization.substring(7).strip()
            : "";
    boolean known;
    try {
      known =
          token.startsWith(LicenseTokens.PREFIX) && licenses.knowsToken(LicenseTokens.hash(token));
    } catch (DataAccessException e) {
      response.setHeader(HttpHeaders.RETRY_AFTER, Problems.RETRY_AFTER_SECONDS);
      problems.write(
          request,
          response,
          ErrorCode.SERVICE_UNAVAILABLE,
          Problems.DATABASE_UNAVAILABLE,
          Map.of());
      return;
    }
    if (!known) {
      response.setHeader(HttpHeaders.CONNECTION, "close"); // the body is never read
      problems.write(
          request,
          response,
          ErrorCode.LICENSE_TOKEN_UNKNOWN,
          "send the token of a license issued by this server: Authorization: Bearer "
              + LicenseTokens.PREFIX
              + "…",
          Map.of());
      return;
    }
    chain.doFilter(request, response);
  }
}
