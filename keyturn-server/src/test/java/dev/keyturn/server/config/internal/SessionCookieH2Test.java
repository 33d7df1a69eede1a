package dev.keyturn.server.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.support.OnH2;
import dev.keyturn.server.support.ServerTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockServletContext;

@OnH2
class SessionCookieH2Test extends ServerTest {

  @Test
  void the_session_cookie_is_same_site_lax_and_http_only_and_not_secure_over_plain_http()
      throws Exception {
    HttpResponse<String> page =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/console/login"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    String cookie =
        page.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith("JSESSIONID="))
            .findFirst()
            .orElseThrow();
    assertThat(cookie).contains("SameSite=Lax").contains("HttpOnly").doesNotContain("Secure");
  }

  @Test
  void the_session_cookie_is_secure_when_the_public_url_is_https() {
    MockServletContext https = new MockServletContext();
    SessionCookieConfiguration.configure(https, "https://keyturn.example");
    assertThat(https.getSessionCookieConfig().isSecure()).isTrue();
    MockServletContext http = new MockServletContext();
    SessionCookieConfiguration.configure(http, "http://localhost:8080");
    assertThat(http.getSessionCookieConfig().isSecure()).isFalse();
  }
}
