package dev.keyturn.server.security.internal;

import dev.keyturn.server.security.ApiTokenStore;
import dev.keyturn.server.security.BearerTokenAuthenticator;
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
 * Authenticates {@code Authorization: Bearer kt_api_…} as a staff token, and other bearer tokens
 * (license tokens, {@code kt_lic_…}) through the {@link BearerTokenAuthenticator} of the module
 * that serves the request; a token no authenticator handles passes through untouched.
 */
final class TokenAuthenticationFilter extends OncePerRequestFilter {
  private final ApiTokenStore tokens;
  private final ProblemResponses problems;
  private final List<BearerTokenAuthenticator> others;

  TokenAuthenticationFilter(
      ApiTokenStore tokens, ProblemResponses problems, List<BearerTokenAuthenticator> others) {
    this.tokens = tokens;
    this.problems = problems;
    this.others = others;
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
      } else {
        authenticateOther(request, token);
      }
    }
    chain.doFilter(request, response);
  }

  private void authenticateOther(HttpServletRequest request, String token) {
    for (BearerTokenAuthenticator authenticator : others) {
      if (authenticator.handles(request, token)) {
        authenticator
            .principal(request, token)
            .ifPresent(
                principal -> {
                  SecurityContext context = SecurityContextHolder.createEmptyContext();
                  context.setAuthentication(
                      UsernamePasswordAuthenticationToken.authenticated(
                          principal,
                          null,
                          List.of(new SimpleGrantedAuthority(BearerTokenAuthenticator.AUTHORITY))));
                  SecurityContextHolder.setContext(context);
                });
        return;
      }
    }
  }
}
