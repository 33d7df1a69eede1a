package dev.keyturn.server.identity;

import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.config.KeyturnProperties;
import dev.keyturn.server.config.OidcProperties;
import dev.keyturn.server.identity.internal.SingleSignOn;
import dev.keyturn.server.security.ExternalStaff;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.stereotype.Component;

/**
 * How a staff member gets into the console, for the console's filter chain and sign-in pages: the
 * password, then (when the account has TOTP, or the policy asks for it) a second factor or its
 * enrolment; or single sign-on through the OpenID Connect provider. A password alone never makes a
 * signed-in session while a second factor is owed: the session holds a {@link Pending} sign-in,
 * which no page but the second-factor pages accepts. Every sign-in is audited with its address.
 */
@Component
public class StaffSignIn {
  public static final String CONSOLE = "/console";
  public static final String SECOND_FACTOR_PAGE = "/console/login/second-factor";
  public static final String ENROL_PAGE = "/console/login/enrol";
  public static final String REFUSED_PAGE = "/console/login/refused";

  /** A half-finished sign-in lapses: the password must be typed again after this. */
  public static final Duration PENDING_FOR = Duration.ofMinutes(10);

  private static final String PENDING = StaffSignIn.class.getName() + ".PENDING";
  private static final String REFUSAL = StaffSignIn.class.getName() + ".REFUSAL";

  private final TwoFactor twoFactor;
  private final EventLog events;
  private final Clock clock;
  private final OidcProperties oidc;
  private final SingleSignOn singleSignOn;
  private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();
  private final HttpSessionRequestCache savedPages = new HttpSessionRequestCache();

  StaffSignIn(
      TwoFactor twoFactor,
      EventLog events,
      Clock clock,
      OidcProperties oidc,
      KeyturnProperties properties,
      ExternalStaff staff) {
    this.twoFactor = twoFactor;
    this.events = events;
    this.clock = clock;
    this.oidc = oidc;
    this.savedPages.setMatchingRequestParameterName(null);
    this.singleSignOn =
        oidc.enabled()
            ? new SingleSignOn(
                oidc, properties.publicUrl(), staff, this::finishSingleSignOn, this::refuse)
            : null;
  }

  /**
   * A password sign-in held until the second factor: who, and whether they must enrol first. Lives
   * in the session only.
   */
  public record Pending(Authentication authentication, Instant since, boolean mustEnrol)
      implements Serializable {
    public String username() {
      return authentication.getName();
    }
  }

  /** The form login's success: signed in, or on to the second factor. */
  public AuthenticationSuccessHandler afterPassword() {
    return (request, response, auth) -> {
      boolean enrolled = twoFactor.enrolled(auth.getName());
      if (enrolled || twoFactor.requiredForAll()) {
        // The filter has stored the sign-in in the session already: take it back out.
        SecurityContextHolder.clearContext();
        contexts.saveContext(SecurityContextHolder.createEmptyContext(), request, response);
        request.getSession().setAttribute(PENDING, new Pending(auth, clock.instant(), !enrolled));
        redirect(request, response, enrolled ? SECOND_FACTOR_PAGE : ENROL_PAGE);
        return;
      }
      signedIn(auth.getName(), "password", request.getRemoteAddr());
      redirect(request, response, landingPage(request, response));
    };
  }

  /** Adds the OpenID Connect sign-in to the console's chain, when an issuer is configured. */
  public void configureSingleSignOn(HttpSecurity http, String loginPage) throws Exception {
    if (singleSignOn != null) {
      singleSignOn.configure(http, loginPage);
    }
  }

  public boolean singleSignOnEnabled() {
    return singleSignOn != null;
  }

  /** Where the sign-in page's single sign-on button goes. */
  public String singleSignOnStart() {
    return SingleSignOn.AUTHORIZATION_START;
  }

  public String singleSignOnName() {
    return oidc.displayName();
  }

  public boolean passwordFormShown() {
    return oidc.passwordFormShown();
  }

  /** The sign-in held in this session, unless it lapsed. */
  public Optional<Pending> pending(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (session == null || !(session.getAttribute(PENDING) instanceof Pending pending)) {
      return Optional.empty();
    }
    if (clock.instant().isAfter(pending.since().plus(PENDING_FOR))) {
      session.removeAttribute(PENDING);
      return Optional.empty();
    }
    return Optional.of(pending);
  }

  /**
   * Completes a held sign-in once the second factor is proven (or enrolled): the session now signs
   * in, under a new id.
   *
   * @param method for the audit log, e.g. {@code password+totp}
   * @return where to go: the page first asked for, or the dashboard
   */
  public String finish(
      HttpServletRequest request, HttpServletResponse response, Pending pending, String method) {
    request.getSession().removeAttribute(PENDING);
    request.changeSessionId();
    SecurityContext context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(pending.authentication());
    SecurityContextHolder.setContext(context);
    contexts.saveContext(context, request, response);
    signedIn(pending.username(), method, request.getRemoteAddr());
    return landingPage(request, response);
  }

  /**
   * Signing out: back to the sign-in page, or first through the provider's own sign-out when {@code
   * KEYTURN_OIDC_PROVIDER_SIGN_OUT} is on and the session came from single sign-on.
   */
  public void configureSignOut(HttpSecurity http, String logoutUrl, String signedOutPage)
      throws Exception {
    String providerSignOut = StaffSignIn.class.getName() + ".PROVIDER_SIGN_OUT";
    http.logout(
        l ->
            l.logoutUrl(logoutUrl)
                // Runs before the session ends, while the ID token is still in it.
                .addLogoutHandler(
                    (request, response, auth) -> {
                      if (singleSignOn != null) {
                        singleSignOn
                            .idTokenOf(request)
                            .flatMap(singleSignOn::providerSignOut)
                            .ifPresent(url -> request.setAttribute(providerSignOut, url));
                      }
                    })
                .logoutSuccessHandler(
                    (request, response, auth) -> {
                      Object url = request.getAttribute(providerSignOut);
                      redirect(request, response, url == null ? signedOutPage : url.toString());
                    }));
  }

  /** Drops a held sign-in (the "start again" link). */
  public void abandon(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (session != null) {
      session.removeAttribute(PENDING);
    }
  }

  /** Why the identity provider's sign-in was refused, for the refusal page (read once). */
  public Optional<String> refusal(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (session == null || !(session.getAttribute(REFUSAL) instanceof String reason)) {
      return Optional.empty();
    }
    session.removeAttribute(REFUSAL);
    return Optional.of(reason);
  }

  private void finishSingleSignOn(
      HttpServletRequest request, HttpServletResponse response, Authentication staff)
      throws IOException {
    SecurityContext context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(staff);
    SecurityContextHolder.setContext(context);
    contexts.saveContext(context, request, response);
    signedIn(staff.getName(), "oidc", request.getRemoteAddr());
    redirect(request, response, landingPage(request, response));
  }

  private void refuse(
      HttpServletRequest request,
      HttpServletResponse response,
      String username,
      String reason,
      String message)
      throws IOException {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("username", username);
    metadata.put("address", request.getRemoteAddr());
    metadata.put("method", "oidc");
    metadata.put("reason", reason);
    events.record(
        "auth.sign_in_failed", username == null ? "unknown" : username, null, null, metadata);
    request.getSession().setAttribute(REFUSAL, message);
    redirect(request, response, REFUSED_PAGE);
  }

  private void signedIn(String username, String method, String address) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("username", username);
    metadata.put("address", address);
    metadata.put("method", method);
    events.record("auth.signed_in", username, null, null, metadata);
  }

  private String landingPage(HttpServletRequest request, HttpServletResponse response) {
    SavedRequest saved = savedPages.getRequest(request, response);
    if (saved == null) {
      return CONSOLE;
    }
    savedPages.removeRequest(request, response);
    return saved.getRedirectUrl();
  }

  private static void redirect(HttpServletRequest request, HttpServletResponse response, String to)
      throws IOException {
    response.sendRedirect(to.startsWith("/") ? request.getContextPath() + to : to);
  }
}
