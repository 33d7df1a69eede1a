package dev.keyturn.server.support;

import java.io.IOException;
import java.net.ServerSocket;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real OpenID Connect provider in the test JVM (mock-oauth2-server: discovery, JWKS, signed ID
 * tokens, and an interactive login page where one types a subject and the claims to carry). One for
 * the whole run; each server under test registers at it by issuer.
 */
public final class OidcProvider {
  public static final String ISSUER_ID = "keyturn";
  public static final String CLIENT_ID = "keyturn-console";
  public static final String CLIENT_SECRET = "keyturn-console-secret";
  private static MockOAuth2Server server;

  private OidcProvider() {}

  public static synchronized MockOAuth2Server server() {
    if (server == null) {
      server = new MockOAuth2Server(new OAuth2Config(true));
      server.start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
    }
    return server;
  }

  public static String endSession() {
    return server().endSessionEndpointUrl(ISSUER_ID).toString();
  }

  public static String issuer() {
    return server().issuerUrl(ISSUER_ID).toString();
  }

  /**
   * The settings of a server that signs staff in through this provider, on a fixed port so that its
   * public URL (and so the redirect URI it registers) is known before it starts.
   */
  public static void register(DynamicPropertyRegistry registry, String localSignIn) {
    int port = freePort();
    registry.add("server.port", () -> port);
    registry.add("keyturn.public-url", () -> "http://localhost:" + port);
    registry.add("keyturn.oidc.issuer", OidcProvider::issuer);
    registry.add("keyturn.oidc.client-id", () -> CLIENT_ID);
    registry.add("keyturn.oidc.client-secret", () -> CLIENT_SECRET);
    registry.add("keyturn.oidc.display-name", () -> "Mock IdP");
    registry.add("keyturn.oidc.role-claim", () -> "groups");
    registry.add(
        "keyturn.oidc.role-mapping",
        () -> "keyturn-admins=ADMIN,keyturn-sales=SALES,keyturn-support=SUPPORT,staff=READONLY");
    registry.add("keyturn.oidc.local-sign-in", () -> localSignIn);
    registry.add("keyturn.oidc.provider-sign-out", () -> "true");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }
}
