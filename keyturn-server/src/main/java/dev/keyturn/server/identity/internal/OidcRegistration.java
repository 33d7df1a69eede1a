package dev.keyturn.server.identity.internal;

import dev.keyturn.server.config.OidcProperties;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;

/**
 * The one OpenID Connect client, {@value #ID}, discovered from the issuer on the first sign-in
 * rather than at start-up: the server starts (and local accounts work) while the identity provider
 * is down, and the next sign-in tries again.
 */
final class OidcRegistration implements ClientRegistrationRepository {
  static final String ID = "oidc";

  private final OidcProperties oidc;
  private final String redirectUri;
  private volatile ClientRegistration discovered;

  OidcRegistration(OidcProperties oidc, String publicUrl) {
    this.oidc = oidc;
    this.redirectUri = publicUrl + "/login/oauth2/code/" + ID;
  }

  String redirectUri() {
    return redirectUri;
  }

  @Override
  public ClientRegistration findByRegistrationId(String registrationId) {
    if (!ID.equals(registrationId)) {
      return null;
    }
    ClientRegistration registration = discovered;
    if (registration == null) {
      synchronized (this) {
        if (discovered == null) {
          discovered = discover();
        }
        registration = discovered;
      }
    }
    return registration;
  }

  private ClientRegistration discover() {
    Set<String> scopes = new LinkedHashSet<>();
    scopes.add("openid");
    Arrays.stream(oidc.scopes().split("[,\\s]+"))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .forEach(scopes::add);
    try {
      return ClientRegistrations.fromIssuerLocation(oidc.issuer())
          .registrationId(ID)
          .clientId(oidc.clientId())
          .clientSecret(oidc.clientSecret())
          .scope(scopes)
          .redirectUri(redirectUri)
          .clientName(oidc.displayName())
          // PKCE even for this confidential client (RFC 9700): a stolen code is worth nothing.
          .clientSettings(ClientRegistration.ClientSettings.builder().requireProofKey(true).build())
          .build();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot read the identity provider's configuration from "
              + oidc.issuer()
              + "/.well-known/openid-configuration (KEYTURN_OIDC_ISSUER): "
              + e.getMessage(),
          e);
    }
  }
}
