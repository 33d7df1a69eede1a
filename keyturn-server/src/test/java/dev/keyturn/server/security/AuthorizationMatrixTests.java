package dev.keyturn.server.security;

import static dev.keyturn.server.security.Role.ADMIN;
import static dev.keyturn.server.security.Role.ENGINEER;
import static dev.keyturn.server.security.Role.SALES;
import static dev.keyturn.server.security.Role.SUPPORT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.ServerTest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every endpoint × every role, and anonymous. A role that may call an endpoint gets past
 * authorization (whatever the handler then says: 200, 400, 404…); one that may not gets 403, and
 * anonymous gets 401, both as problems with their stable code. Public endpoints never ask for staff
 * credentials.
 */
abstract class AuthorizationMatrixTests extends ServerTest {
  private static final Set<Role> ALL = EnumSet.allOf(Role.class);
  private static final Set<Role> PUBLIC = null;

  record Endpoint(String method, String path, Object body, Set<Role> allowed) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private List<Endpoint> endpoints() {
    String sub = createSubscription("Matrix Corp");
    String lic = issued(sub, "P30D").field("id");
    String keyId = anonymous().get("/api/v1/signing-keys").json().get("active_key_id").asString();
    Map<String, String> reason = Map.of("reason", "matrix");
    List<Endpoint> e = new ArrayList<>();
    e.add(new Endpoint("GET", "/api/v1/subscriptions", null, ALL));
    e.add(new Endpoint("POST", "/api/v1/subscriptions", Map.of(), EnumSet.of(ADMIN, SALES)));
    e.add(new Endpoint("GET", "/api/v1/subscriptions/" + sub, null, ALL));
    e.add(
        new Endpoint(
            "PATCH", "/api/v1/subscriptions/" + sub, Map.of(), EnumSet.of(ADMIN, SALES, SUPPORT)));
    e.add(
        new Endpoint(
            "POST", "/api/v1/subscriptions/sub_missing/archive", reason, EnumSet.of(ADMIN, SALES)));
    e.add(
        new Endpoint(
            "POST",
            "/api/v1/subscriptions/sub_missing/release-instance",
            reason,
            EnumSet.of(ADMIN, SALES, SUPPORT)));
    e.add(
        new Endpoint(
            "POST",
            "/api/v1/subscriptions/" + sub + "/licenses",
            Map.of(),
            EnumSet.of(ADMIN, SALES, ENGINEER)));
    e.add(new Endpoint("GET", "/api/v1/licenses", null, ALL));
    e.add(new Endpoint("GET", "/api/v1/licenses/" + lic, null, ALL));
    e.add(new Endpoint("GET", "/api/v1/licenses/" + lic + "/download", null, ALL));
    e.add(
        new Endpoint(
            "POST", "/api/v1/licenses/lic_missing/revoke", reason, EnumSet.of(ADMIN, SALES)));
    e.add(new Endpoint("GET", "/api/v1/events", null, ALL));
    e.add(new Endpoint("GET", "/api/v1/signing-keys", null, PUBLIC));
    e.add(new Endpoint("GET", "/api/v1/signing-keys/" + keyId + "/public.pem", null, PUBLIC));
    e.add(new Endpoint("POST", "/api/v1/signing-keys/next", null, EnumSet.of(ADMIN)));
    e.add(new Endpoint("POST", "/api/v1/signing-keys/rotate", null, EnumSet.of(ADMIN)));
    e.add(new Endpoint("GET", "/api/v1/users", null, EnumSet.of(ADMIN)));
    e.add(new Endpoint("POST", "/api/v1/users", Map.of(), EnumSet.of(ADMIN)));
    e.add(new Endpoint("POST", "/api/v1/users/nobody/disable", null, EnumSet.of(ADMIN)));
    e.add(new Endpoint("POST", "/api/v1/users/nobody/totp/reset", null, EnumSet.of(ADMIN)));
    e.add(new Endpoint("GET", "/api/v1/sign-in-policy", null, EnumSet.of(ADMIN)));
    // An empty body changes nothing (400 for an admin), so the matrix never switches TOTP on.
    e.add(new Endpoint("PUT", "/api/v1/sign-in-policy", Map.of(), EnumSet.of(ADMIN)));
    e.add(new Endpoint("GET", "/api/v1/api-tokens", null, ALL));
    // The matrix calls with tokens, and a token makes no tokens: only a signed-in person does.
    e.add(new Endpoint("POST", "/api/v1/api-tokens", Map.of(), EnumSet.noneOf(Role.class)));
    e.add(new Endpoint("POST", "/api/v1/api-tokens/tok_missing/revoke", null, ALL));
    e.add(new Endpoint("GET", "/api/v1/test-clock", null, EnumSet.of(ADMIN)));
    e.add(new Endpoint("POST", "/api/v1/test-clock", Map.of(), EnumSet.of(ADMIN)));
    e.add(new Endpoint("POST", "/api/v1/check-in", Map.of("instance_id", "x"), PUBLIC));
    e.add(new Endpoint("GET", "/api/v1/capabilities", null, PUBLIC));
    e.add(new Endpoint("GET", "/actuator/health", null, PUBLIC));
    e.add(new Endpoint("GET", "/actuator/prometheus", null, ALL));
    e.add(new Endpoint("GET", "/v3/api-docs", null, PUBLIC));
    // Issue 18: usage history, installations, true-up and air-gapped usage reports.
    e.add(new Endpoint("GET", "/api/v1/subscriptions/" + sub + "/usage", null, ALL));
    e.add(new Endpoint("GET", "/api/v1/subscriptions/" + sub + "/installations", null, ALL));
    e.add(new Endpoint("GET", "/api/v1/subscriptions/" + sub + "/true-up", null, ALL));
    e.add(new Endpoint("GET", "/api/v1/subscriptions/" + sub + "/usage-reports", null, ALL));
    e.add(
        new Endpoint("POST", "/api/v1/usage-reports", Map.of(), EnumSet.of(ADMIN, SALES, SUPPORT)));
    e.add(new Endpoint("DELETE", "/api/v1/subscriptions/" + sub, null, EnumSet.noneOf(Role.class)));
    return e;
  }

  @TestFactory
  Stream<DynamicTest> every_role_reaches_exactly_the_endpoints_it_may_use() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Endpoint endpoint : endpoints()) {
      tests.add(
          DynamicTest.dynamicTest(
              "anonymous " + endpoint, () -> checkAnonymous(anonymous(), endpoint)));
      for (Role role : Role.values()) {
        tests.add(
            DynamicTest.dynamicTest(role + " " + endpoint, () -> check(as(role), role, endpoint)));
      }
    }
    return tests.stream();
  }

  private static void checkAnonymous(Api api, Endpoint endpoint) {
    Api.Response r = api.send(endpoint.method(), endpoint.path(), endpoint.body());
    if (endpoint.allowed() == PUBLIC) {
      assertPublic(r);
    } else {
      assertThat(r.status()).as(r.toString()).isEqualTo(401);
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(r.code()).isEqualTo("auth.unauthenticated");
    }
  }

  /** Public endpoints may refuse a bad license token (check-in), never for want of staff rights. */
  private static void assertPublic(Api.Response r) {
    assertThat(r.status()).as(r.toString()).isNotEqualTo(403);
    if (r.status() == 401) {
      assertThat(r.code()).isEqualTo("license.unknown_token");
    }
  }

  private static void check(Api api, Role role, Endpoint endpoint) {
    Api.Response r = api.send(endpoint.method(), endpoint.path(), endpoint.body());
    if (endpoint.allowed() == PUBLIC) {
      assertPublic(r);
    } else if (endpoint.allowed().contains(role)) {
      assertThat(r.status()).as(r.toString()).isNotIn(401, 403);
    } else {
      assertThat(r.status()).as(r.toString()).isEqualTo(403);
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(r.code()).isEqualTo("auth.forbidden");
    }
  }
}
