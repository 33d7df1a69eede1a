package dev.keyturn.server.portal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.ZoneId;
import java.util.List;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.authentication.session.CompositeSessionAuthenticationStrategy;
import org.springframework.security.web.authentication.session.SessionAuthenticationStrategy;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.csrf.CsrfAuthenticationStrategy;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.stereotype.Component;

/**
 * A contact's portal session. Console and portal share the browser's session cookie, so the portal
 * keeps its security context and its CSRF token under attribute names of its own: the console's
 * chain never finds a contact, and this chain never finds a staff member.
 */
@Component
class PortalSession {
  static final String CONTEXT_KEY = "KEYTURN_PORTAL_SECURITY_CONTEXT";
  static final String CSRF_KEY = "KEYTURN_PORTAL_CSRF_TOKEN";

  private final HttpSessionSecurityContextRepository contexts =
      new HttpSessionSecurityContextRepository();
  private final HttpSessionCsrfTokenRepository csrfTokens = new HttpSessionCsrfTokenRepository();
  private final SessionAuthenticationStrategy onSignIn;

  PortalSession() {
    contexts.setSpringSecurityContextKey(CONTEXT_KEY);
    csrfTokens.setSessionAttributeName(CSRF_KEY);
    // A new session id and a new CSRF token: nothing an attacker planted before sign-in carries
    // over.
    onSignIn =
        new CompositeSessionAuthenticationStrategy(
            List.of(
                new ChangeSessionIdAuthenticationStrategy(),
                new CsrfAuthenticationStrategy(csrfTokens)));
  }

  HttpSessionSecurityContextRepository contexts() {
    return contexts;
  }

  HttpSessionCsrfTokenRepository csrfTokens() {
    return csrfTokens;
  }

  /** Signs the contact in for the rest of this browser session. */
  void start(String email, ZoneId zone, HttpServletRequest request, HttpServletResponse response) {
    Authentication auth =
        UsernamePasswordAuthenticationToken.authenticated(
            new PortalContact(email, zone),
            null,
            List.of(new SimpleGrantedAuthority("ROLE_" + PortalSecurity.ROLE)));
    request.getSession(true);
    onSignIn.onAuthentication(auth, request, response);
    SecurityContext context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(auth);
    SecurityContextHolder.setContext(context);
    contexts.saveContext(context, request, response);
  }

  void end(HttpServletRequest request, HttpServletResponse response) {
    contexts.saveContext(new SecurityContextImpl(), request, response);
  }
}
