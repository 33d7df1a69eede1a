package dev.keyturn.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.support.ConsoleSession;
import dev.keyturn.server.support.ServerTest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Behind the load balancer (loopback is a trusted proxy in tests), sign-in limits key on the real
 * client from {@code X-Forwarded-For}: one client running out leaves everyone else alone.
 */
abstract class ClientAddressTests extends ServerTest {

  private HttpResponse<String> askForLink(ConsoleSession browser, String csrf, String client) {
    return browser.post(
        "/portal/sign-in-link",
        Map.of("email", UUID.randomUUID() + "@probe.example", "_csrf", csrf),
        Map.of("X-Forwarded-For", "203.0.113.9, " + client));
  }

  @Test
  void one_client_exhausting_its_sign_in_limit_does_not_lock_out_others_behind_the_same_proxy() {
    ConsoleSession browser = ConsoleSession.anonymous(port);
    String csrf = browser.csrfOf("/portal");
    String noisy = "198.51.100." + (int) (Math.random() * 250);
    String other = "2001:db8::" + Integer.toHexString((int) (Math.random() * 65000));

    for (int i = 0; i < SignInLimiter.PER_IP; i++) {
      assertThat(askForLink(browser, csrf, noisy).statusCode()).isEqualTo(302);
    }
    HttpResponse<String> refused = askForLink(browser, csrf, noisy);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.body()).contains("Too many sign-in links");

    assertThat(askForLink(browser, csrf, other).statusCode()).isEqualTo(302);
  }
}
