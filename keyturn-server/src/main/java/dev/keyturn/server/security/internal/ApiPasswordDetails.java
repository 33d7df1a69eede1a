package dev.keyturn.server.security.internal;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/** Marks a password that came by HTTP Basic on the API, not through the console's form. */
final class ApiPasswordDetails extends WebAuthenticationDetails {
  private static final long serialVersionUID = 1L;

  ApiPasswordDetails(HttpServletRequest request) {
    super(request);
  }
}
