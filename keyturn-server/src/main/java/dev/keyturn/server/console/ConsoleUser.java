package dev.keyturn.server.console;

import dev.keyturn.server.security.Actor;
import dev.keyturn.server.security.Role;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The signed-in staff member as pages see it ({@code ${me}}): which controls to show. Showing is a
 * courtesy only; {@link ConsoleSecurity} and the services decide what is allowed.
 */
public record ConsoleUser(String username, Role role, boolean testClockEnabled) {

  /** The staff member, or null on the sign-in page. */
  static ConsoleUser current(boolean testClockEnabled) {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth == null || auth instanceof AnonymousAuthenticationToken) {
      return null;
    }
    Actor actor = Actor.current();
    return new ConsoleUser(actor.name(), actor.role(), testClockEnabled);
  }

  public boolean isAdmin() {
    return role == Role.ADMIN;
  }

  /** Create and edit subscriptions, record payments, revoke, archive, clean up. */
  public boolean maySell() {
    return role == Role.ADMIN || role == Role.SALES;
  }

  /** Issue licenses by hand (an engineer within the 7-day cap). */
  public boolean mayIssue() {
    return maySell() || role == Role.ENGINEER;
  }

  /** Work the renewal-request queue and edit the support-editable fields. */
  public boolean maySupport() {
    return maySell() || role == Role.SUPPORT;
  }
}
