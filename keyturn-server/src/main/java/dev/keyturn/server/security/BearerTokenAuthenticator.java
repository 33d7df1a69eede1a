package dev.keyturn.server.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * Bearer tokens other than API tokens, authenticated in the security filter chain by the module
 * that serves them: license tokens ({@code kt_lic_…}) on check-in, capabilities and the Renew
 * button. The token authenticates as what its module looked it up as (the license, the check-in
 * row), which the endpoint receives as its principal.
 */
public interface BearerTokenAuthenticator {
  /** The authority a principal of such a token carries; no staff rule grants it anything. */
  String AUTHORITY = "BEARER_TOKEN";

  /** The request's path inside the application, as the endpoints are mapped. */
  static String path(HttpServletRequest request) {
    return request.getRequestURI().substring(request.getContextPath().length());
  }

  /** Whether this request, bearing {@code token}, is one this authenticator answers. */
  boolean handles(HttpServletRequest request, String token);

  /**
   * The principal a known token authenticates as. Empty for an unknown token: the request goes on
   * unauthenticated, and the endpoint answers as it does for a missing token.
   */
  Optional<Object> principal(HttpServletRequest request, String token);
}
