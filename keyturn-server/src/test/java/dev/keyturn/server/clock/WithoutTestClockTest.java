package dev.keyturn.server.clock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.ConsoleSession;
import dev.keyturn.server.support.OnH2;
import dev.keyturn.server.support.ServerTest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** A server started the ordinary way: no test clock endpoint, the system clock. */
@OnH2
@TestPropertySource(
    properties = {
      "keyturn.test-clock.enabled=false",
      "spring.datasource.url=jdbc:h2:mem:keyturn-no-test-clock;MODE=PostgreSQL;"
          + "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1"
    })
class WithoutTestClockTest extends ServerTest {

  @Test
  void the_test_clock_endpoint_does_not_exist() {
    Api admin = admin();
    Api.Response get = admin.get("/api/v1/test-clock");
    Api.Response post = admin.post("/api/v1/test-clock", Map.of("advance", "P1D"));
    assertThat(get.status()).isEqualTo(404);
    assertThat(post.status()).isIn(404, 405);
    assertThat(get.code()).isEqualTo("not_found");
    assertThat(clock).isNotInstanceOf(TestClock.class);
  }

  @Test
  void the_console_shows_no_test_clock_and_refuses_to_move_it() {
    ConsoleSession admin = ConsoleSession.signIn(port, "admin", ADMIN_PASSWORD);
    assertThat(admin.get("/console/admin").body()).doesNotContain("Test clock");
    String csrf = admin.csrfOf("/console/admin");
    HttpResponse<String> moved =
        admin.post("/console/admin/test-clock/advance", Map.of("amount", "1", "_csrf", csrf));
    assertThat(moved.statusCode()).isEqualTo(404);
    assertThat(moved.body()).contains("this server has no test clock");
  }

  @Test
  void the_openapi_document_describes_the_api() {
    Api.Response docs = anonymous().get("/v3/api-docs");
    assertThat(docs.status()).isEqualTo(200);
    assertThat(docs.json().get("paths").propertyNames())
        .contains(
            "/api/v1/subscriptions",
            "/api/v1/subscriptions/{id}/licenses",
            "/api/v1/licenses",
            "/api/v1/check-in",
            "/api/v1/signing-keys/rotate");
    assertThat(
            docs.json()
                .get("components")
                .get("schemas")
                .get("SubscriptionFields")
                .get("properties")
                .propertyNames())
        .contains("display_name", "crm_account_id", "instance_domain", "capabilities");
    assertThat(anonymous().get("/swagger-ui/index.html").status()).isEqualTo(200);
  }

  @Test
  void metrics_count_issuance_and_licenses_by_phase() {
    String sub = createSubscription("Metrics Corp");
    issued(sub, "P365D");
    Api.Response metrics = as(Role.READONLY).get("/actuator/prometheus");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("keyturn_licenses_issued_total")
        .contains("keyturn_licenses{phase=\"ACTIVE\"}");
  }
}
