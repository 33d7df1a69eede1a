package dev.keyturn.server.security.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A console session remembers who signed in, not what they may do: on every request the user's
 * current state is read again, so disabling a user or changing their role takes effect on their
 * very next request. A disabled (or deleted) user's console sign-in ends; a changed role applies at
 * once. (HTTP Basic reloads the user on each request anyway; API tokens check in {@code
 * ApiTokenStore.authenticate}.)
 */
public final class StaffSessionCheck extends OncePerRequestFilter {
  private final UserStore users;

  /** Not a bean: a filter bean would run on every request; {@code StaffSessions} hands it out. */
  public StaffSessionCheck(UserStore users) {
    this.users = users;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth instanceof UsernamePasswordAuthenticationToken
        && auth.getPrincipal() instanceof UserDetails user) {
      Optional<UserStore.StaffUser> now =
          users.find(user.getUsername()).filter(u -> u.disabledAt() == null);
      if (now.isEmpty()) {
        endConsoleSignIn(request);
      } else if (!auth.getAuthorities()
          .contains(new SimpleGrantedAuthority(now.get().role().authority()))) {
        // For this request; the session keeps the sign-in and the next request reads again.
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(
            UsernamePasswordAuthenticationToken.authenticated(
                user, null, AuthorityUtils.createAuthorityList(now.get().role().authority())));
        SecurityContextHolder.setContext(context);
      }
    }
    chain.doFilter(request, response);
  }

  /** Only the console's half of the session: a portal sign-in in the same browser stays. */
  private static void endConsoleSignIn(HttpServletRequest request) {
    SecurityContextHolder.clearContext();
    HttpSession session = request.getSession(false);
    if (session != null) {
      session.removeAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
    }
  }
}
