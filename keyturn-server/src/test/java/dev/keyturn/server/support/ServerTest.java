package dev.keyturn.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.crypto.KeyRing;
import dev.keyturn.core.crypto.Pem;
import dev.keyturn.core.license.LicenseReader;
import dev.keyturn.server.clock.TestClock;
import dev.keyturn.server.license.LicenseTokens;
import dev.keyturn.server.security.Role;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The server on a random port, over real HTTP. Subclasses pick the database with {@link OnH2} or
 * {@link OnPostgres}; all classes on one database share one server (Spring's context cache), so
 * every test makes its own subscriptions and reads time from the server's {@link #clock}, which
 * other tests may have moved forward. The test clock's offset is stored in the database, so every
 * server of the run on one database (several contexts on PostgreSQL's schema or H2's) shows the
 * same moved time: never assume a fresh clock.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "keyturn.test-clock.enabled=true",
      "keyturn.admin-password=" + ServerTest.ADMIN_PASSWORD,
      // Fixed test master key (base64 of 32 bytes), so no key file is written.
      "keyturn.master-key=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
      "keyturn.data-dir=target/keyturn-test-data",
      // The tests' requests come from loopback, standing in for the load balancer.
      "keyturn.trusted-proxies=127.0.0.1/32,::1/128",
      // Webhook receivers in tests listen on loopback.
      "keyturn.webhooks.allow-private=true",
      // Tests run the sweep and the delivery worker by hand, at the instants they choose.
      "keyturn.scheduler.enabled=false",
      "keyturn.notifications.account-team=account-team@vendor.example",
      "keyturn.notifications.support=support@vendor.example",
      "logging.level.org.springframework=WARN",
      "logging.level.org.flywaydb=WARN",
      "logging.level.com.zaxxer=WARN"
    })
public abstract class ServerTest {
  public static final String ADMIN_PASSWORD = "test-admin-password";
  public static final String USER_PASSWORD = "test-user-password";
  private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

  @LocalServerPort protected int port;
  @Autowired protected Clock clock;

  /**
   * Servers of this run that share a database share its test clock; one that another server moved a
   * moment ago shows it within a second, this one from the first line of the test.
   */
  @BeforeEach
  void seeEveryMoveOfTheSharedClock() {
    if (clock instanceof TestClock shared) {
      shared.refresh();
    }
  }

  protected Api anonymous() {
    return new Api(port, null);
  }

  /** The bootstrap admin, by HTTP Basic. */
  protected Api admin() {
    return new Api(port, Api.basic("admin", ADMIN_PASSWORD));
  }

  /** A user of that role, through an API token of that role (made once per server). */
  protected Api as(Role role) {
    String token =
        TOKENS.computeIfAbsent(
            port + "/" + role,
            k -> {
              String username = username(role);
              if (role != Role.ADMIN) {
                Api.Response created =
                    admin()
                        .post(
                            "/api/v1/users",
                            Map.of("username", username, "password", USER_PASSWORD, "role", role));
                // Another server of this run may share the database and have made the user first.
                assertThat(created.status()).as(created.toString()).isIn(201, 409);
              }
              Api owner =
                  new Api(
                      port,
                      role == Role.ADMIN
                          ? Api.basic("admin", ADMIN_PASSWORD)
                          : Api.basic(username, USER_PASSWORD));
              Api.Response made =
                  owner.post("/api/v1/api-tokens", Map.of("name", "tests", "role", role));
              assertThat(made.status()).as(made.toString()).isEqualTo(201);
              return made.field("token");
            });
    return new Api(port, Api.bearer(token));
  }

  protected static String username(Role role) {
    return role == Role.ADMIN ? "admin" : role.name().toLowerCase(Locale.ROOT) + "-user";
  }

  /** A valid customer subscription body; tests change what they need. */
  protected static Map<String, Object> subscription(String name) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("display_name", name);
    body.put("customer_type", "CUSTOMER");
    body.put("crm_account_id", "crm-" + name.toLowerCase(Locale.ROOT).replace(' ', '-'));
    body.put(
        "instance_domain", "tools." + name.toLowerCase(Locale.ROOT).replace(' ', '-') + ".example");
    body.put(
        "contacts",
        Map.of("admin_emails", List.of("ops@example.com"), "billing_emails", List.of()));
    body.put("tier", "medium");
    body.put("seats", 250);
    body.put("limits", Map.of("users", 250));
    body.put("features", List.of("sso"));
    body.put(
        "capabilities", Map.of("analytics", Map.of("enabled", true, "rate_limit_per_minute", 60)));
    return body;
  }

  protected String createSubscription(String name) {
    Api.Response created = as(Role.SALES).post("/api/v1/subscriptions", subscription(name));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.field("id");
  }

  protected Api.Response issue(Api api, String subscriptionId, Map<String, ?> body) {
    return api.post("/api/v1/subscriptions/" + subscriptionId + "/licenses", body);
  }

  /** Issues a license by SALES and returns its view (with the signed text). */
  protected Api.Response issued(String subscriptionId, String duration) {
    Api.Response r = issue(as(Role.SALES), subscriptionId, Map.of("duration", duration));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r;
  }

  /** The check-in token a client derives from the license file it holds. */
  protected static String licenseToken(String licenseText) {
    return LicenseTokens.tokenFor(new LicenseReader().read(licenseText));
  }

  /** What a client in the field does: trust the keys the server publishes, by id. */
  protected KeyRing publishedKeys() {
    KeyRing.Builder ring = KeyRing.builder();
    for (JsonNode key : anonymous().get("/api/v1/signing-keys").json().get("keys")) {
      ring.add(
          key.get("key_id").asString(), Pem.readPublicKey(key.get("public_key_pem").asString()));
    }
    return ring.build();
  }
}
