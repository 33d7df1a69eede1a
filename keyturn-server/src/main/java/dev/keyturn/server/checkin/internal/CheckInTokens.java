package dev.keyturn.server.checkin.internal;

import dev.keyturn.server.license.LicenseTokens;
import dev.keyturn.server.license.Licenses;
import dev.keyturn.server.security.BearerTokenAuthenticator;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The license token on check-in and capabilities. A check-in authenticates as its license's
 * check-in row read at the request's instant (the one query a check-in needs to answer, so the
 * authentication costs no extra round trip); capabilities as the license.
 */
@Component
class CheckInTokens implements BearerTokenAuthenticator {
  static final String CHECK_IN = "/api/v1/check-in";
  static final String CAPABILITIES = "/api/v1/capabilities";

  private final CheckIns checkIns;
  private final Licenses licenses;
  private final Clock clock;

  CheckInTokens(CheckIns checkIns, Licenses licenses, Clock clock) {
    this.checkIns = checkIns;
    this.licenses = licenses;
    this.clock = clock;
  }

  /** A check-in's principal: the license's row as read at {@code at}, the request's instant. */
  record CheckInToken(CheckIns.Held license, Instant at) {
    /**
     * The authentication's name ({@code Authentication.getName()}), which Spring MVC reads for
     * every request it handles: the license, not the whole row with its policy, which the record's
     * own {@code toString} would render on each check-in (and into any log that names the user).
     */
    @Override
    public String toString() {
      return "license:" + license.id();
    }
  }

  @Override
  public boolean handles(HttpServletRequest request, String token) {
    if (!token.startsWith(LicenseTokens.PREFIX)) {
      return false;
    }
    String path = BearerTokenAuthenticator.path(request);
    return ("POST".equals(request.getMethod()) && CHECK_IN.equals(path))
        || ("GET".equals(request.getMethod()) && CAPABILITIES.equals(path));
  }

  @Override
  public Optional<Object> principal(HttpServletRequest request, String token) {
    if (CHECK_IN.equals(BearerTokenAuthenticator.path(request))
        && request.getAttribute(LicenseTokenGate.LOOKED_UP) instanceof CheckInToken looked) {
      // The gate in front of the security chain read this row from the same header.
      return Optional.of(looked);
    }
    String hash = LicenseTokens.hash(token);
    if (CHECK_IN.equals(BearerTokenAuthenticator.path(request))) {
      Instant now = clock.instant();
      return checkIns.byTokenHash(hash, now).map(held -> new CheckInToken(held, now));
    }
    return licenses.findByTokenHash(hash).map(license -> license);
  }
}
