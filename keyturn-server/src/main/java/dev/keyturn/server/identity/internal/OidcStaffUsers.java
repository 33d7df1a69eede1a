package dev.keyturn.server.identity.internal;

import dev.keyturn.server.config.OidcProperties;
import dev.keyturn.server.security.ExternalStaff;
import dev.keyturn.server.security.Role;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * Turns the provider's word into a Keyturn user: the role from the mapped claim, the account made
 * on the first sign-in and its role updated on each ({@link ExternalStaff}). No role, or no
 * account, is a refusal whose message the sign-in page shows as it is.
 */
final class OidcStaffUsers implements OAuth2UserService<OidcUserRequest, OidcUser> {
  static final String REFUSED = "keyturn_refused";

  private final OidcUserService provider = new OidcUserService();
  private final OidcProperties oidc;
  private final RoleMapping roles;
  private final ExternalStaff staff;

  OidcStaffUsers(OidcProperties oidc, RoleMapping roles, ExternalStaff staff) {
    this.oidc = oidc;
    this.roles = roles;
    this.staff = staff;
  }

  @Override
  public OidcUser loadUser(OidcUserRequest request) {
    OidcUser user = provider.loadUser(request);
    Map<String, Object> claims = user.getClaims();
    String usernameClaim = usernameClaim(claims);
    String username = String.valueOf(claims.get(usernameClaim));
    Optional<Role> role = roles.roleFor(claims);
    if (role.isEmpty()) {
      List<String> groups = roles.groupsIn(claims);
      throw refused(
          "no_role",
          username,
          "Your account at "
              + oidc.displayName()
              + " has no Keyturn role: Keyturn reads the '"
              + roles.claim()
              + "' claim, which "
              + (groups.isEmpty() ? "your sign-in does not carry" : "holds " + groups)
              + ", and gives a role only to "
              + String.join(", ", roles.mappedGroups())
              + ". Ask your administrator to add you to one of them.");
    }
    String issuer = String.valueOf(user.getIdToken().getIssuer());
    ExternalStaff.Outcome outcome =
        staff.provision(
            new ExternalStaff.Identity(issuer, user.getSubject(), username, role.get()),
            ClientAddress.current());
    if (outcome instanceof ExternalStaff.Outcome.Refused refusal) {
      throw refused(refusal.reason(), username, refusal.message());
    }
    ExternalStaff.Outcome.SignedIn signedIn = (ExternalStaff.Outcome.SignedIn) outcome;
    return new DefaultOidcUser(
        AuthorityUtils.createAuthorityList(signedIn.role().authority()),
        user.getIdToken(),
        user.getUserInfo(),
        usernameClaim);
  }

  /** The configured claim, then {@code email}, then {@code sub}: whichever the sign-in carries. */
  private String usernameClaim(Map<String, Object> claims) {
    for (String claim : List.of(oidc.usernameClaim(), "email", "sub")) {
      if (claims.get(claim) instanceof String s && !s.isBlank()) {
        return claim;
      }
    }
    return "sub";
  }

  private static OAuth2AuthenticationException refused(
      String reason, String username, String message) {
    return new OAuth2AuthenticationException(
        new OAuth2Error(REFUSED, message, null), message, new Refusal(reason, username, message));
  }

  /** Carried as the exception's cause, for the audit log. */
  static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String reason;
    final String username;

    Refusal(String reason, String username, String message) {
      super(message, null, false, false);
      this.reason = reason;
      this.username = username;
    }
  }
}
