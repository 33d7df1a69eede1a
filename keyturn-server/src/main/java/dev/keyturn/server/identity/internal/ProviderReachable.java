package dev.keyturn.server.identity.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Before the redirect to the provider: its configuration must be readable. If it is not (the
 * provider is down, the issuer is mistyped), the person reads why on the refusal page instead of a
 * bare server error, the attempt is audited, and the next click tries again.
 */
final class ProviderReachable extends OncePerRequestFilter {
  private static final Logger log = LoggerFactory.getLogger(ProviderReachable.class);

  private final OidcRegistration registration;
  private final SingleSignOn.Refusal refusal;

  ProviderReachable(OidcRegistration registration, SingleSignOn.Refusal refusal) {
    this.registration = registration;
    this.refusal = refusal;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request
        .getRequestURI()
        .equals(request.getContextPath() + SingleSignOn.AUTHORIZATION_START);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    try {
      registration.findByRegistrationId(OidcRegistration.ID);
    } catch (IllegalStateException e) {
      log.warn("single sign-on unavailable: {}", e.getMessage());
      refusal.refused(
          request,
          response,
          null,
          "provider_unreachable",
          "The identity provider cannot be reached just now, so single sign-on is not available."
              + " Try again in a moment; if it persists, tell your administrator.");
      return;
    }
    chain.doFilter(request, response);
  }
}
