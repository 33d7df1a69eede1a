package dev.keyturn.server.security;

import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.security.internal.UserStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Staff the identity provider vouches for: made on their first sign-in, their role brought up to
 * date on each. They are found again by the provider's issuer and subject, never by name, so an
 * identity provider user can never take over a local (break-glass) account of the same name.
 */
@Component
public class ExternalStaff {
  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,99}");
  static final String ACTOR = "oidc";

  private final UserStore users;
  private final EventLog events;

  ExternalStaff(UserStore users, EventLog events) {
    this.users = users;
    this.events = events;
  }

  /** Who signed in, by the provider's word. */
  public record Identity(String issuer, String subject, String username, Role role) {}

  /** What became of a sign-in: the Keyturn username, or why it is refused. */
  public sealed interface Outcome {
    record SignedIn(String username, Role role, boolean created) implements Outcome {}

    record Refused(String reason, String message) implements Outcome {}
  }

  /** Whether this user signs in through the identity provider (and so has no password here). */
  public boolean signsInWithProvider(String username) {
    return users.find(username).map(u -> !u.local()).orElse(false);
  }

  @Transactional
  public Outcome provision(Identity who, String address) {
    Optional<UserStore.StaffUser> known = users.findExternal(who.issuer(), who.subject());
    if (known.isPresent()) {
      UserStore.StaffUser user = known.get();
      if (user.disabledAt() != null) {
        return new Outcome.Refused(
            "disabled",
            "Your Keyturn account " + user.username() + " is disabled. Ask a Keyturn admin.");
      }
      if (users.changeRole(user.username(), who.role())) {
        events.record(
            "user.role_changed",
            ACTOR,
            null,
            null,
            details(user.username(), address, "from", user.role().name(), "to", who.role().name()));
      }
      return new Outcome.SignedIn(user.username(), who.role(), false);
    }
    if (who.username() == null || !USERNAME.matcher(who.username()).matches()) {
      return new Outcome.Refused(
          "bad_username",
          "The identity provider names you '"
              + who.username()
              + "', which is not a Keyturn user name (1 to 100 of letters, digits, '.', '_', '@'"
              + " or '-'). Ask your admin to set KEYTURN_OIDC_USERNAME_CLAIM to another claim.");
    }
    if (users.exists(who.username())) {
      return new Outcome.Refused(
          "name_taken",
          "A Keyturn account named "
              + who.username()
              + " exists already and is not linked to your sign-in at the identity provider."
              + " Ask a Keyturn admin.");
    }
    users.createExternal(who.username(), who.role(), who.issuer(), who.subject());
    events.record(
        "user.created",
        ACTOR,
        null,
        null,
        details(who.username(), address, "role", who.role().name(), "signs_in_with", "oidc"));
    return new Outcome.SignedIn(who.username(), who.role(), true);
  }

  private static Map<String, Object> details(String username, String address, String... pairs) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("username", username);
    for (int i = 0; i < pairs.length; i += 2) {
      metadata.put(pairs[i], pairs[i + 1]);
    }
    metadata.put("address", address);
    return metadata;
  }
}
