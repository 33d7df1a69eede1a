package dev.keyturn.server.identity.internal;

import dev.keyturn.server.config.SetupException;
import dev.keyturn.server.security.Role;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which Keyturn role the identity provider's groups (or roles) give: {@code group=ROLE} pairs in
 * the order written, the first pair whose group the user has wins. The claim may be a list, a
 * single string, or sit inside an object (a dotted path, e.g. Keycloak's {@code
 * realm_access.roles}).
 */
public final class RoleMapping {
  private static final String EMAIL = "email";
  private final String claim;
  private final Map<String, Role> groups;

  RoleMapping(String claim, Map<String, Role> groups) {
    this.claim = claim;
    this.groups = groups;
  }

  /** Reads {@code KEYTURN_OIDC_ROLE_MAPPING}; a mistake stops the server with the reason. */
  static RoleMapping parse(String claim, String mapping) {
    Map<String, Role> groups = new LinkedHashMap<>();
    for (String pair : mapping.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.lastIndexOf('=');
      if (eq <= 0 || eq == pair.length() - 1) {
        throw new SetupException(
            "KEYTURN_OIDC_ROLE_MAPPING: '" + pair.strip() + "' is not group=ROLE");
      }
      String group = pair.substring(0, eq).strip();
      String role = pair.substring(eq + 1).strip().toUpperCase(Locale.ROOT);
      try {
        groups.putIfAbsent(group, Role.valueOf(role));
      } catch (IllegalArgumentException e) {
        throw new SetupException(
            "KEYTURN_OIDC_ROLE_MAPPING: '"
                + role
                + "' (for group '"
                + group
                + "') is not a role: one of ADMIN, SALES, ENGINEER, SUPPORT, READONLY");
      }
    }
    if (groups.isEmpty()) {
      throw new SetupException(
          "KEYTURN_OIDC_ISSUER is set but KEYTURN_OIDC_ROLE_MAPPING is empty: nobody could be"
              + " given a role. Set e.g. keyturn-admins=ADMIN,keyturn-sales=SALES");
    }
    return new RoleMapping(claim, groups);
  }

  public String claim() {
    return claim;
  }

  public Collection<String> mappedGroups() {
    return groups.keySet();
  }

  /**
   * The groups (or roles) the claims carry, as strings; none when the claim is absent. An e-mail
   * address the provider has not verified counts for nothing: whoever typed it may not own it.
   */
  public List<String> groupsIn(Map<String, Object> claims) {
    if (EMAIL.equals(claim) && Boolean.FALSE.equals(claims.get("email_verified"))) {
      return List.of();
    }
    Object value = claims;
    for (String part : claim.split("\\.")) {
      value = value instanceof Map<?, ?> map ? map.get(part) : null;
    }
    List<String> found = new ArrayList<>();
    if (value instanceof Collection<?> many) {
      many.forEach(v -> found.add(String.valueOf(v)));
    } else if (value != null) {
      found.add(String.valueOf(value));
    }
    return found;
  }

  public Optional<Role> roleFor(Map<String, Object> claims) {
    List<String> has = groupsIn(claims);
    return groups.entrySet().stream()
        .filter(e -> has.contains(e.getKey()))
        .map(Map.Entry::getValue)
        .findFirst();
  }
}
