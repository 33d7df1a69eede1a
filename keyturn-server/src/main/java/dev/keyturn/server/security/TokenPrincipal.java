package dev.keyturn.server.security;

import java.security.Principal;

/** The principal of a request authenticated by an API token; its name is the owner's username. */
public record TokenPrincipal(String tokenId, String tokenName, String username, Role role)
    implements Principal {
  @Override
  public String getName() {
    return username;
  }
}
