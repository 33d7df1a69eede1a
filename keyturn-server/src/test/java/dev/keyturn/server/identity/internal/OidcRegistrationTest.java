package dev.keyturn.server.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.server.config.OidcProperties;
import java.io.IOException;
import java.net.ServerSocket;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.client.registration.ClientRegistration;

/** The provider is discovered at the first sign-in, so it may be down when the server starts. */
class OidcRegistrationTest {

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static OidcProperties oidc(String issuer) {
    return new OidcProperties(
        issuer, "keyturn", "secret", null, null, null, null, "keyturn-admins=ADMIN", null, false);
  }

  @Test
  void a_provider_that_is_down_is_tried_again_at_the_next_sign_in() throws IOException {
    int port = freePort();
    String issuer = "http://localhost:" + port + "/keyturn";
    OidcRegistration registration = new OidcRegistration(oidc(issuer), "https://licenses.example");

    assertThatThrownBy(() -> registration.findByRegistrationId("oidc"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(issuer + "/.well-known/openid-configuration");

    MockOAuth2Server provider = new MockOAuth2Server();
    provider.start(port);
    try {
      ClientRegistration found = registration.findByRegistrationId("oidc");
      assertThat(found.getProviderDetails().getIssuerUri()).isEqualTo(issuer);
      assertThat(found.getRedirectUri())
          .isEqualTo("https://licenses.example/login/oauth2/code/oidc");
      assertThat(found.getScopes()).containsExactly("openid", "profile", "email");
      assertThat(found.getClientSettings().isRequireProofKey()).isTrue();
      assertThat(registration.findByRegistrationId("other")).isNull();
    } finally {
      provider.shutdown();
    }
  }
}
