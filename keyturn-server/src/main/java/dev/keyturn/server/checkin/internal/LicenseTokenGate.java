package dev.keyturn.server.checkin.internal;

import dev.keyturn.server.license.LicenseTokens;
import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.ProblemWriter;
import dev.keyturn.server.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A check-in is authenticated from its headers before its body is read: a missing or unknown
 * license token is answered 401 without parsing anything. The lookup is the one check-in needs
 * anyway (the license's check-in row, at the request's instant); it is left on the request for
 * {@link CheckInTokens}, so the security chain does not look the token up a second time.
 */
final class LicenseTokenGate extends OncePerRequestFilter {
  /** The request attribute holding the {@link CheckInTokens.CheckInToken} this gate read. */
  static final String LOOKED_UP = LicenseTokenGate.class.getName() + ".token";

  private final CheckIns checkIns;
  private final Clock clock;
  private final ProblemWriter problems;

  LicenseTokenGate(CheckIns checkIns, Clock clock, ProblemWriter problems) {
    this.checkIns = checkIns;
    this.clock = clock;
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
    Optional<CheckInTokens.CheckInToken> known = Optional.empty();
    try {
      if (token.startsWith(LicenseTokens.PREFIX)) {
        Instant now = clock.instant();
        known =
            checkIns
                .byTokenHash(LicenseTokens.hash(token), now)
                .map(held -> new CheckInTokens.CheckInToken(held, now));
      }
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
    if (known.isEmpty()) {
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
    request.setAttribute(LOOKED_UP, known.get());
    chain.doFilter(request, response);
  }
}
