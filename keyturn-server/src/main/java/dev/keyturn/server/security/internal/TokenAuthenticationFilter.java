package dev.keyturn.server.security.internal;

import dev.keyturn.server.security.ApiTokenStore;
import dev.keyturn.server.security.TokenPrincipal;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer kt_api_…}. Other bearer tokens (license tokens, {@code
 * kt_lic_…}) pass through untouched: check-in and capabilities authenticate those.
 */
final class TokenAuthenticationFilter extends OncePerRequestFilter {
  private final ApiTokenStore tokens;
  private final ProblemResponses problems;

  TokenAuthenticationFilter(ApiTokenStore tokens, ProblemResponses problems) {
    this.tokens = tokens;
    this.problems = problems;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = header.substring(7).strip();
      if (token.startsWith(ApiTokenStore.PREFIX)) {
        Optional<TokenPrincipal> principal;
        try {
          principal = tokens.authenticate(token);
        } catch (DataAccessException e) {
          problems.databaseUnavailable(request, response);
          return;
        }
        if (principal.isEmpty()) {
          problems.unauthenticated(request, response, "unknown or revoked API token");
          return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(
            UsernamePasswordAuthenticationToken.authenticated(
                principal.get(),
                null,
                List.of(new SimpleGrantedAuthority(principal.get().role().authority()))));
        SecurityContextHolder.setContext(context);
      }
    }
    chain.doFilter(request, response);
  }
}
