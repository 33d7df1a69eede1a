package dev.keyturn.server.renewal.internal;

import dev.keyturn.server.license.LicenseTokens;
import dev.keyturn.server.license.Licenses;
import dev.keyturn.server.security.BearerTokenAuthenticator;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The Renew button's license token on {@code POST /api/v1/renewal-requests}: authenticates as the
 * license it belongs to (revoked or not; the queue refuses a revoked one with its own code).
 */
@Component
class RenewalTokens implements BearerTokenAuthenticator {
  private final Licenses licenses;

  RenewalTokens(Licenses licenses) {
    this.licenses = licenses;
  }

  @Override
  public boolean handles(HttpServletRequest request, String token) {
    return token.startsWith(LicenseTokens.PREFIX)
        && "POST".equals(request.getMethod())
        && "/api/v1/renewal-requests".equals(BearerTokenAuthenticator.path(request));
  }

  @Override
  public Optional<Object> principal(HttpServletRequest request, String token) {
    return licenses.findByTokenHash(LicenseTokens.hash(token)).map(license -> license);
  }
}
