package dev.keyturn.server.security;

import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.KeyturnServerException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is acting, as events name them: the user (and the token used, if any) with the role in force
 * for this request. A token's role may be narrower than its owner's.
 */
public record Actor(String name, Role role) {

  public static Actor current() {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth == null || !auth.isAuthenticated()) {
      throw new KeyturnServerException(ErrorCode.UNAUTHENTICATED, "authentication required");
    }
    if (auth.getPrincipal() instanceof TokenPrincipal token) {
      return new Actor(token.username() + " (token " + token.tokenName() + ")", token.role());
    }
    Role role =
        auth.getAuthorities().stream()
            .map(GrantedAuthority::getAuthority)
            .flatMap(a -> Role.fromAuthority(a).stream())
            .findFirst()
            .orElseThrow(
                () ->
                    new KeyturnServerException(
                        ErrorCode.FORBIDDEN, "no role for " + auth.getName()));
    return new Actor(auth.getName(), role);
  }

  /** The user behind the request, without the token decoration. */
  public static String currentUsername() {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth != null && auth.getPrincipal() instanceof TokenPrincipal token) {
      return token.username();
    }
    return current().name();
  }

  public boolean is(Role r) {
    return role == r;
  }
}
