package dev.keyturn.server.security;

import java.util.Arrays;
import java.util.Optional;

/**
 * Staff roles of docs/design.md §6. What each may do is decided on the server, in {@code
 * security.internal.SecurityConfig}.
 */
public enum Role {
  ADMIN,
  SALES,
  ENGINEER,
  SUPPORT,
  READONLY;

  public String authority() {
    return "ROLE_" + name();
  }

  public static Optional<Role> fromAuthority(String authority) {
    return Arrays.stream(values()).filter(r -> r.authority().equals(authority)).findFirst();
  }
}
