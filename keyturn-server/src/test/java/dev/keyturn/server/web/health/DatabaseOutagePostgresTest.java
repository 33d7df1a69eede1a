package dev.keyturn.server.web.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.FreezableTcpProxy;
import dev.keyturn.server.support.PostgresAvailable;
import dev.keyturn.server.support.PostgresDatabase;
import dev.keyturn.server.support.ServerTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A PostgreSQL outage of the worst kind (the network goes silent: no error, no answer), through a
 * proxy the test freezes. Readiness turns 503 within 5 s so the load balancer stops sending
 * traffic; liveness stays UP (restarting would not help); API requests answer 503 problem+json
 * within 5 s, never a 401 after 30 s. (The embedded H2 database cannot have an outage.)
 */
@ExtendWith(PostgresAvailable.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class DatabaseOutagePostgresTest extends ServerTest {
  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private static FreezableTcpProxy proxy;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry r) {
    String[] address = PostgresDatabase.address().split(":");
    proxy = new FreezableTcpProxy(address[0], Integer.parseInt(address[1]));
    r.add("spring.datasource.url", () -> PostgresDatabase.urlThrough(proxy.port()));
    r.add("spring.datasource.username", PostgresDatabase::user);
    r.add("spring.datasource.password", () -> "");
  }

  @AfterAll
  static void closeProxy() {
    proxy.close(); // before the context closes, so its pool fails fast instead of waiting
  }

  private Timed get(String path, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(20));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    long start = System.nanoTime();
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Timed(response, Duration.ofNanos(System.nanoTime() - start));
  }

  private record Timed(HttpResponse<String> response, Duration took) {
    int status() {
      return response.statusCode();
    }
  }

  @Test
  void readiness_and_requests_answer_503_within_five_seconds_while_liveness_stays_up()
      throws Exception {
    String token = Api.bearer(tokenOf(Role.READONLY));
    assertThat(get("/actuator/health/readiness", null).status()).isEqualTo(200);
    assertThat(get("/api/v1/subscriptions", Api.basic("admin", ADMIN_PASSWORD)).status())
        .isEqualTo(200);
    Thread.sleep(600); // pooled connections now count as idle, as in production

    proxy.freeze();

    Timed readiness = get("/actuator/health/readiness", null);
    assertThat(readiness.status()).isEqualTo(503);
    assertThat(readiness.took()).isLessThan(DEADLINE);
    Timed liveness = get("/actuator/health/liveness", null);
    assertThat(liveness.status()).isEqualTo(200);
    assertThat(liveness.took()).isLessThan(Duration.ofSeconds(1));
    for (String authorization : new String[] {Api.basic("admin", ADMIN_PASSWORD), token}) {
      Timed api = get("/api/v1/subscriptions", authorization);
      assertThat(api.status()).as(api.response().body()).isEqualTo(503);
      assertThat(api.response().headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/problem+json");
      assertThat(api.response().body()).contains("\"code\":\"service.unavailable\"");
      assertThat(api.response().headers().firstValue("Retry-After")).contains("5");
      assertThat(api.took()).isLessThan(DEADLINE);
    }
  }

  private String tokenOf(Role role) {
    Api.Response made =
        admin().post("/api/v1/api-tokens", java.util.Map.of("name", "outage", "role", role));
    assertThat(made.status()).as(made.toString()).isEqualTo(201);
    return made.field("token");
  }
}
