package dev.keyturn.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.clock.TestClock;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.ConsoleSession;
import dev.keyturn.server.support.ServerTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Password guessing meets growing delays, per user; the right password waits too. */
abstract class LoginThrottleTests extends ServerTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** HTTP Basic from a client of its own behind the (trusted, loopback) proxy. */
  private HttpResponse<String> signIn(String username, String password, String client)
      throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/subscriptions"))
            .header("Authorization", Api.basic(username, password))
            .header("X-Forwarded-For", client)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void after_five_wrong_passwords_even_the_right_one_waits_and_is_told_when() throws Exception {
    String username = "guess-" + System.nanoTime();
    assertThat(
            admin()
                .post(
                    "/api/v1/users",
                    Map.of("username", username, "password", USER_PASSWORD, "role", "READONLY"))
                .status())
        .isEqualTo(201);
    String client = "198.51.100." + (int) (Math.random() * 250);
    for (int i = 0; i < 5; i++) {
      assertThat(signIn(username, "wrong-password-" + i, client).statusCode()).isEqualTo(401);
    }

    HttpResponse<String> right = signIn(username, USER_PASSWORD, client);
    assertThat(right.statusCode()).as(right.body()).isEqualTo(429);
    assertThat(right.body()).contains("\"code\":\"rate_limited\"").contains("Try again in");
    long retryAfter = Long.parseLong(right.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter).isBetween(1L, 15L);
    // Another address does not help: the user's own count holds.
    assertThat(signIn(username, USER_PASSWORD, "203.0.113.77").statusCode()).isEqualTo(429);
    assertThat(admin().get("/api/v1/events?type=auth.login_throttled").body()).contains(username);

    // The console's sign-in page says the same instead of "wrong password".
    ConsoleSession console = ConsoleSession.anonymous(port);
    String csrf = console.csrfOf("/console/login");
    HttpResponse<String> form =
        console.post(
            "/console/login",
            Map.of("username", username, "password", USER_PASSWORD, "_csrf", csrf),
            Map.of("X-Forwarded-For", client));
    assertThat(form.headers().firstValue("Location").orElse("")).contains("error");
    assertThat(console.get("/console/login?error").body())
        .contains("Too many failed sign-ins")
        .doesNotContain("do not match");

    ((TestClock) clock).advance(Duration.ofSeconds(retryAfter + 1));
    assertThat(signIn(username, USER_PASSWORD, client).statusCode()).isEqualTo(200);
  }

  private String newUser(String prefix) {
    String username = prefix + "-" + System.nanoTime();
    Api.Response made =
        admin()
            .post(
                "/api/v1/users",
                Map.of("username", username, "password", USER_PASSWORD, "role", "READONLY"));
    assertThat(made.status()).as(made.toString()).isEqualTo(201);
    return username;
  }

  private static long retryAfter(HttpResponse<String> refused) {
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
    return Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
  }

  @Test
  void each_failure_after_a_wait_doubles_the_next_wait() throws Exception {
    String username = newUser("doubling");
    String client = "198.51.100." + (int) (Math.random() * 250);
    for (int i = 0; i < 5; i++) {
      assertThat(signIn(username, "wrong-password-" + i, client).statusCode()).isEqualTo(401);
    }
    long first = retryAfter(signIn(username, USER_PASSWORD, client));
    assertThat(first).isBetween(1L, 15L);

    ((TestClock) clock).advance(Duration.ofSeconds(first + 1));
    // The wait is over: the password is checked again, and a wrong one counts.
    assertThat(signIn(username, "wrong-password-5", client).statusCode()).isEqualTo(401);
    long second = retryAfter(signIn(username, USER_PASSWORD, client));
    assertThat(second).as("30 s after the sixth failure").isBetween(16L, 30L);
  }

  @Test
  void twenty_failures_from_one_address_hold_back_that_address_and_no_other() throws Exception {
    String shared = "192.0.2." + (int) (Math.random() * 250);
    for (int i = 0; i < 20; i++) {
      // Twenty different names, none guessed five times: only the address's count can throttle.
      assertThat(signIn("nobody-" + System.nanoTime() + "-" + i, "guess", shared).statusCode())
          .isEqualTo(401);
    }
    String username = newUser("behind-shared-address");

    assertThat(retryAfter(signIn(username, USER_PASSWORD, shared))).isBetween(1L, 15L);
    assertThat(
            signIn(username, USER_PASSWORD, "203.0.113." + (int) (Math.random() * 250))
                .statusCode())
        .as("the same person from another address")
        .isEqualTo(200);
    assertThat(admin().get("/api/v1/events?type=auth.login_throttled").body()).contains(shared);
  }
}
