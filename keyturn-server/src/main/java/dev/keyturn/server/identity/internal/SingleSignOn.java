package dev.keyturn.server.identity.internal;

import dev.keyturn.server.config.OidcProperties;
import dev.keyturn.server.security.ExternalStaff;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * The console's OpenID Connect sign-in (authorization code flow with PKCE, through Spring
 * Security's OAuth2 client). A successful sign-in becomes the same kind of session a password
 * makes, so that every console rule (the per-request re-read of the user, the actor in events)
 * holds for both.
 */
public final class SingleSignOn {
  public static final String AUTHORIZATION_START = "/oauth2/authorization/" + OidcRegistration.ID;

  /** What the sign-in module does with a signed-in staff member. */
  @FunctionalInterface
  public interface Success {
    void signedIn(HttpServletRequest request, HttpServletResponse response, Authentication staff)
        throws IOException;
  }

  /** And with a refusal: the reason for the audit log, the message for the person. */
  @FunctionalInterface
  public interface Refusal {
    void refused(
        HttpServletRequest request,
        HttpServletResponse response,
        String username,
        String reason,
        String message)
        throws IOException;
  }

  private static final String ID_TOKEN = SingleSignOn.class.getName() + ".ID_TOKEN";

  private final OidcRegistration registration;
  private final OidcStaffUsers users;
  private final boolean providerSignOut;
  private final String signedOutPage;
  private final Success success;
  private final Refusal refusal;

  public SingleSignOn(
      OidcProperties oidc,
      String publicUrl,
      ExternalStaff staff,
      Success success,
      Refusal refusal) {
    this.registration = new OidcRegistration(oidc, publicUrl);
    this.providerSignOut = oidc.providerSignOut();
    this.signedOutPage = publicUrl + "/console/login?logout";
    this.users =
        new OidcStaffUsers(oidc, RoleMapping.parse(oidc.roleClaim(), oidc.roleMapping()), staff);
    this.success = success;
    this.refusal = refusal;
  }

  public void configure(HttpSecurity http, String loginPage) throws Exception {
    http.addFilterBefore(
        new ProviderReachable(registration, refusal),
        OAuth2AuthorizationRequestRedirectFilter.class);
    http.oauth2Login(
        o ->
            o.loginPage(loginPage)
                .clientRegistrationRepository(registration)
                .userInfoEndpoint(u -> u.oidcUserService(users))
                .successHandler(
                    (request, response, auth) -> {
                      if (providerSignOut && auth.getPrincipal() instanceof OidcUser user) {
                        // The provider's sign-out wants the ID token back as a hint.
                        request
                            .getSession()
                            .setAttribute(ID_TOKEN, user.getIdToken().getTokenValue());
                      }
                      success.signedIn(request, response, asStaffSession(auth));
                    })
                .failureHandler(this::failed));
  }

  /**
   * Read before the session ends: the ID token of a single sign-on session, when the provider is to
   * be signed out of too.
   */
  public Optional<String> idTokenOf(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    return session != null && session.getAttribute(ID_TOKEN) instanceof String token
        ? Optional.of(token)
        : Optional.empty();
  }

  /**
   * Where the browser goes to end its session at the provider (RP-initiated logout, OpenID
   * Connect), coming back to the sign-in page; empty when the provider publishes no
   * end_session_endpoint.
   */
  public Optional<String> providerSignOut(String idToken) {
    Object endpoint =
        registration
            .findByRegistrationId(OidcRegistration.ID)
            .getProviderDetails()
            .getConfigurationMetadata()
            .get("end_session_endpoint");
    if (endpoint == null) {
      return Optional.empty();
    }
    String clientId = registration.findByRegistrationId(OidcRegistration.ID).getClientId();
    String base = endpoint.toString();
    return Optional.of(
        base
            + (base.contains("?") ? "&" : "?")
            + "id_token_hint="
            + encoded(idToken)
            + "&post_logout_redirect_uri="
            + encoded(signedOutPage)
            + "&client_id="
            + encoded(clientId));
  }

  private static String encoded(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static Authentication asStaffSession(Authentication oidc) {
    User staff = new User(oidc.getName(), "", true, true, true, true, oidc.getAuthorities());
    return UsernamePasswordAuthenticationToken.authenticated(staff, null, oidc.getAuthorities());
  }

  private void failed(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    if (e instanceof OAuth2AuthenticationException oauth
        && oauth.getCause() instanceof OidcStaffUsers.Refusal refused) {
      refusal.refused(request, response, refused.username, refused.reason, refused.getMessage());
      return;
    }
    // The provider said no (access_denied), the state did not match, the token did not verify…
    String code =
        e instanceof OAuth2AuthenticationException oauth
            ? oauth.getError().getErrorCode()
            : "error";
    refusal.refused(
        request,
        response,
        null,
        code,
        "The identity provider did not sign you in ("
            + code
            + (e.getMessage() == null ? "" : ": " + e.getMessage())
            + "). Try again, or ask your administrator.");
  }
}
