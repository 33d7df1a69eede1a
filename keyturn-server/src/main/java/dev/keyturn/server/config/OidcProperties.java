package dev.keyturn.server.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Single sign-on for the staff console through an OpenID Connect provider ({@code keyturn.oidc.*},
 * i.e. {@code KEYTURN_OIDC_*}). Nothing is registered unless {@code issuer} is set: the server
 * starts and works with local accounts only.
 *
 * @param issuer the provider's issuer URL; its {@code /.well-known/openid-configuration} is read on
 *     the first sign-in
 * @param clientId the client (application) id registered at the provider
 * @param clientSecret its secret
 * @param displayName what the sign-in button names, e.g. "Okta"
 * @param scopes the scopes asked for, comma-separated ({@code openid} is always asked)
 * @param usernameClaim the claim that names the user in Keyturn; {@code email}, then {@code sub}
 *     when that claim is absent
 * @param roleClaim the claim carrying groups or roles; a dotted path reaches into an object (e.g.
 *     Keycloak's {@code realm_access.roles})
 * @param roleMapping {@code group=ROLE} pairs, comma-separated, e.g. {@code
 *     keyturn-admins=ADMIN,keyturn-sales=SALES}; when several match, the first pair listed wins
 * @param localSignIn who may still sign in with a password: {@code all} (the default), {@code
 *     none}, or usernames (the break-glass accounts), comma-separated. Applies only while OIDC is
 *     on.
 */
@ConfigurationProperties("keyturn.oidc")
public record OidcProperties(
    String issuer,
    String clientId,
    String clientSecret,
    String displayName,
    String scopes,
    String usernameClaim,
    String roleClaim,
    String roleMapping,
    String localSignIn,
    boolean providerSignOut) {

  public static final String DEFAULT_SCOPES = "openid,profile,email";
  public static final String DEFAULT_USERNAME_CLAIM = "preferred_username";
  public static final String DEFAULT_ROLE_CLAIM = "groups";
  public static final String ALL = "all";
  public static final String NONE = "none";

  public OidcProperties {
    issuer = blankToNull(issuer);
    displayName = blankToNull(displayName) == null ? "single sign-on" : displayName.strip();
    scopes = blankToNull(scopes) == null ? DEFAULT_SCOPES : scopes;
    usernameClaim = blankToNull(usernameClaim) == null ? DEFAULT_USERNAME_CLAIM : usernameClaim;
    roleClaim = blankToNull(roleClaim) == null ? DEFAULT_ROLE_CLAIM : roleClaim.strip();
    roleMapping = roleMapping == null ? "" : roleMapping;
    localSignIn = blankToNull(localSignIn) == null ? ALL : localSignIn.strip();
    if (issuer != null && (blankToNull(clientId) == null || blankToNull(clientSecret) == null)) {
      throw new SetupException(
          "KEYTURN_OIDC_ISSUER is set, so KEYTURN_OIDC_CLIENT_ID and KEYTURN_OIDC_CLIENT_SECRET"
              + " are required too (the client registered at the provider)");
    }
  }

  public boolean enabled() {
    return issuer != null;
  }

  /**
   * Whether this user may sign in with a password. Everyone may while OIDC is off, so that turning
   * it off again never locks anyone out.
   */
  public boolean localSignInAllowed(String username) {
    if (!enabled() || ALL.equalsIgnoreCase(localSignIn)) {
      return true;
    }
    if (NONE.equalsIgnoreCase(localSignIn)) {
      return false;
    }
    return breakGlassUsers().contains(username);
  }

  /** The usernames listed in {@code localSignIn}, or none for {@code all}/{@code none}. */
  public List<String> breakGlassUsers() {
    if (ALL.equalsIgnoreCase(localSignIn) || NONE.equalsIgnoreCase(localSignIn)) {
      return List.of();
    }
    return Arrays.stream(localSignIn.split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  /** Whether the sign-in page offers the password form at all. */
  public boolean passwordFormShown() {
    return !enabled() || !NONE.equals(localSignIn.toLowerCase(Locale.ROOT));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
