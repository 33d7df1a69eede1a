package dev.keyturn.server.portal;

import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.KeyturnServerException;
import java.io.Serializable;
import java.time.ZoneId;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The signed-in contact: the address the link was sent to, and the zone their browser reported at
 * sign-in (UTC when it said nothing), for dates on the pages.
 */
record PortalContact(String email, ZoneId zone) implements Serializable {

  /** How events name a contact, e.g. {@code contact:ops@example.com}. */
  String actor() {
    return "contact:" + email;
  }

  static PortalContact current() {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth != null && auth.getPrincipal() instanceof PortalContact contact) {
      return contact;
    }
    throw new KeyturnServerException(ErrorCode.UNAUTHENTICATED, "sign in to the portal first");
  }

  @Override
  public String toString() {
    return email;
  }
}
