package dev.keyturn.server.security;

import dev.keyturn.server.security.internal.StaffSessionCheck;
import dev.keyturn.server.security.internal.UserStore;
import jakarta.servlet.Filter;
import org.springframework.stereotype.Component;

/** What a session-based staff chain (the console) adds so that sessions follow users' changes. */
@Component
public class StaffSessions {
  private final UserStore users;

  StaffSessions(UserStore users) {
    this.users = users;
  }

  /**
   * A filter to run before authorization: it re-reads the signed-in user on every request, so
   * disabling them or changing their role applies to sessions signed in before.
   */
  public Filter check() {
    return new StaffSessionCheck(users);
  }
}
