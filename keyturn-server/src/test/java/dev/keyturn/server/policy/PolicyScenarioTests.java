package dev.keyturn.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.keyturn.client.ClientStanding;
import dev.keyturn.client.InstallResult;
import dev.keyturn.client.LicenseManager;
import dev.keyturn.core.VerificationCode;
import dev.keyturn.core.lifecycle.BannerLevel;
import dev.keyturn.core.lifecycle.Dismissal;
import dev.keyturn.core.lifecycle.Mode;
import dev.keyturn.server.clock.TestClock;
import dev.keyturn.server.delivery.DeliveryWorker;
import dev.keyturn.server.lifecycle.Sweep;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.ServerTest;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Issue 21 as a dated scenario: a partner tier's own policy, whose D-15 goes to the account team
 * and not the customer, with 90 days of read-only grace. At each stage's instant the sweep mails
 * the right people, and the product's client, holding the license the server signed, shows the
 * matching banner; then grace is read-only and the product locks. The policy is edited on the way:
 * the license in the field keeps the policy it carries.
 */
abstract class PolicyScenarioTests extends ServerTest {
  static final String CUSTOMER = "ops@example.com";
  static final String ACCOUNT_TEAM = "account-team@vendor.example";
  static final String SUPPORT = "support@vendor.example";

  @Autowired Sweep sweep;
  @Autowired DeliveryWorker deliveries;
  @TempDir Path stateDir;

  /** Moves the clock to {@code at}, sweeps and delivers, as the scheduler would. */
  private void at(Instant at) {
    if (at.isAfter(clock.instant())) {
      ((TestClock) clock).set(at);
    }
    sweep.run();
    deliveries.runOnce();
  }

  private List<String> mails(String subscriptionId, String recipient) {
    List<String> out = new ArrayList<>();
    for (JsonNode m :
        admin()
            .get("/api/v1/mails?subscription_id=" + subscriptionId + "&recipient=" + recipient)
            .json()) {
      out.add(0, m.get("subject").asString());
    }
    return out;
  }

  private int renewalRequests(String subscriptionId) {
    return admin()
        .get("/api/v1/events?type=renewal.requested&subscription_id=" + subscriptionId)
        .json()
        .size();
  }

  static Map<String, Object> reminder(int days, String banner, String dismissal, String... notify) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("days_before", days);
    r.put("banner", banner);
    r.put("dismissal", dismissal);
    r.put("notify", List.of(notify));
    return r;
  }

  /** The partner tier of the issue: D-15 to the account team, 90 days of read-only grace. */
  static Map<String, Object> partnerPolicy(int graceDays, String graceMode) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put(
        "reminders",
        List.of(
            reminder(30, "info", "until-next-stage", "customer"),
            reminder(15, "warning", "for-24h", "account-team", "webhook"),
            reminder(3, "danger", "not-dismissible", "customer", "renewal-request")));
    p.put("grace_days", graceDays);
    p.put("grace_mode", graceMode);
    p.put("lock_action", "lock");
    p.put("expiry_notify", List.of("customer", "support"));
    p.put("lock_notify", List.of("customer"));
    return p;
  }

  @Test
  void a_partner_policy_tells_each_stage_to_its_recipients_and_the_client_shows_the_same_stage()
      throws Exception {
    String policy = "partner-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> hooks = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/",
        exchange -> {
          hooks.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    String endpoint =
        admin()
            .post(
                "/api/v1/webhook-endpoints",
                Map.of(
                    "url",
                    "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks",
                    "secret",
                    "whsec_policy_scenario_secret",
                    "event_types",
                    List.of("license.expiring", "license.expired", "license.locked")))
            .field("id");
    try {
      partnerScenario(policy, hooks);
    } finally {
      // Other tests share this server: leave no endpoint behind to collect their events.
      admin().post("/api/v1/webhook-endpoints/" + endpoint + "/disable", null);
      receiver.stop(0);
    }
  }

  private void partnerScenario(String policy, List<String> hooks) {
    Api.Response saved =
        admin().send("PUT", "/api/v1/policies/" + policy, partnerPolicy(90, "read-only"));
    assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
    assertThat(saved.json().get("revision").asInt()).isEqualTo(1);

    Map<String, Object> body = subscription("Partner Tier");
    body.put("policy_preset", policy);
    String sub = as(Role.SALES).post("/api/v1/subscriptions", body).field("id");
    Api.Response issued = issue(as(Role.SALES), sub, Map.of("duration", "P60D", "notify", false));
    assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
    String text = admin().get("/api/v1/licenses/" + issued.field("id")).field("text");
    Instant expires = Instant.parse(issued.field("expires_at"));

    // The license carries the whole policy, signed: format 2.
    assertThat(text)
        .contains("format = 2\n")
        .contains("name = \"" + policy + "\"")
        .contains("notify = [\"account-team\", \"webhook\"]");
    try (LicenseManager client =
        LicenseManager.builder()
            .stateDir(stateDir)
            .trustedKeys(publishedKeys())
            .instanceDomain("tools.partner-tier.example")
            .clock(clock)
            .background(false)
            .build()) {
      InstallResult installed = client.install(text);
      assertThat(installed.code()).as(installed.message()).isEqualTo(VerificationCode.VALID);
      at(clock.instant());
      assertThat(client.standing().banner().level()).isEqualTo(BannerLevel.NONE);

      // D-30: the customer only, an info banner.
      at(expires.minus(Duration.ofDays(30)).minusSeconds(60));
      assertThat(mails(sub, CUSTOMER)).isEmpty();
      at(expires.minus(Duration.ofDays(30)));
      assertThat(mails(sub, CUSTOMER))
          .containsExactly("Your Partner Tier license expires in 30 day(s)");
      assertThat(banner(client)).isEqualTo(List.of(BannerLevel.INFO, Dismissal.UNTIL_NEXT_STAGE));

      // D-15: the account team, not the customer; a warning banner.
      at(expires.minus(Duration.ofDays(15)));
      assertThat(mails(sub, CUSTOMER)).hasSize(1);
      assertThat(mails(sub, ACCOUNT_TEAM)).containsExactly("Renewal due in 15 days: Partner Tier");
      assertThat(mails(sub, SUPPORT)).isEmpty();
      assertThat(banner(client)).isEqualTo(List.of(BannerLevel.WARNING, Dismissal.FOR_24H));

      // The policy changes now: 10 days of full grace. The license in the field keeps its own.
      Api.Response edited =
          admin().send("PUT", "/api/v1/policies/" + policy, partnerPolicy(10, "full"));
      assertThat(edited.json().get("revision").asInt()).isEqualTo(2);

      // D-7 is not a stage of this policy: nothing.
      at(expires.minus(Duration.ofDays(7)));
      assertThat(mails(sub, CUSTOMER)).hasSize(1);
      assertThat(mails(sub, SUPPORT)).isEmpty();

      // D-3: the customer and a renewal request; a danger banner that cannot be closed.
      at(expires.minus(Duration.ofDays(3)));
      assertThat(mails(sub, CUSTOMER))
          .hasSize(2)
          .last()
          .isEqualTo("Your Partner Tier license expires in 3 day(s)");
      assertThat(renewalRequests(sub)).isEqualTo(1);
      assertThat(banner(client)).isEqualTo(List.of(BannerLevel.DANGER, Dismissal.NOT_DISMISSIBLE));

      // Expiry: the customer and support; the product goes read-only for the signed 90 days.
      at(expires);
      assertThat(mails(sub, CUSTOMER))
          .hasSize(3)
          .last()
          .isEqualTo("Your Partner Tier license has expired: 90 days of grace");
      assertThat(mails(sub, SUPPORT)).containsExactly("License expired: Partner Tier");
      assertThat(mode(client)).isEqualTo(Mode.READ_ONLY);

      // Ten days on (the edited policy's grace) the license still follows its own: read-only.
      at(expires.plus(Duration.ofDays(10)));
      assertThat(mode(client)).isEqualTo(Mode.READ_ONLY);
      assertThat(mails(sub, CUSTOMER)).hasSize(3);
      // Check-in tells the product the same, from the policy the license carries.
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("license_id", issued.field("id"));
      report.put("instance_id", "partner-1");
      report.put("instance_domain", "tools.partner-tier.example");
      report.put("usage", Map.of("users", 1));
      report.put("client_version", "0.1.0");
      JsonNode standing =
          anonymous()
              .as(Api.bearer(licenseToken(text)))
              .post("/api/v1/check-in", report)
              .json()
              .get("standing");
      assertThat(standing.get("mode").asString()).isEqualTo("READ_ONLY");
      assertThat(standing.get("days_until_lock").asLong()).isEqualTo(80);

      // The lock, at expiry + 90 days, to the customer only.
      at(expires.plus(Duration.ofDays(90)).minusSeconds(1));
      assertThat(mode(client)).isEqualTo(Mode.READ_ONLY);
      at(expires.plus(Duration.ofDays(90)));
      assertThat(mails(sub, CUSTOMER))
          .hasSize(4)
          .last()
          .isEqualTo("Your Partner Tier product is locked");
      assertThat(mode(client)).isEqualTo(Mode.LOCKED);
      assertThat(mails(sub, ACCOUNT_TEAM)).hasSize(1);
      assertThat(mails(sub, SUPPORT)).hasSize(1);
      assertThat(renewalRequests(sub)).isEqualTo(1);
      // Webhooks only where the policy says: D-15 alone.
      List<String> mine = hooks.stream().filter(h -> h.contains(sub)).toList();
      assertThat(mine).singleElement().asString().contains("license.expiring").contains("D-15");
    }
  }

  /** The client's mode after it refreshes at the current instant. */
  private static Mode mode(LicenseManager client) {
    client.refresh();
    return client.mode();
  }

  /** The client's banner after it refreshes at the current instant, as level and dismissal. */
  private static List<Object> banner(LicenseManager client) {
    client.refresh();
    ClientStanding s = client.standing();
    return List.of(s.banner().level(), s.banner().dismissal());
  }

  @Test
  void an_edited_policy_reaches_current_licenses_when_they_are_reissued() {
    String policy = "reissue-" + UUID.randomUUID().toString().substring(0, 8);
    admin().send("PUT", "/api/v1/policies/" + policy, partnerPolicy(90, "read-only"));
    Map<String, Object> body = subscription("Reissue Corp");
    body.put("policy_preset", policy);
    String sub = as(Role.SALES).post("/api/v1/subscriptions", body).field("id");
    Api.Response first = issue(as(Role.SALES), sub, Map.of("duration", "P60D", "notify", false));
    admin().send("PUT", "/api/v1/policies/" + policy, partnerPolicy(10, "full"));

    Api.Response reissued =
        as(Role.SALES).post("/api/v1/policies/" + policy + "/reissue", Map.of());

    assertThat(reissued.status()).as(reissued.toString()).isEqualTo(200);
    JsonNode ids = reissued.json().get("licenses");
    assertThat(ids.size()).isEqualTo(1);
    JsonNode renewed = admin().get("/api/v1/licenses/" + ids.get(0).asString()).json();
    assertThat(renewed.get("expires_at").asString()).isEqualTo(first.field("expires_at"));
    assertThat(renewed.get("text").asString())
        .contains("grace_days = 10\n")
        .contains("grace_mode = \"full\"");
    deliveries.runOnce();
    assertThat(mails(sub, CUSTOMER)).containsExactly("Your new Reissue Corp license");
    JsonNode event =
        admin().get("/api/v1/events?type=policy.reissued").json().get(0).get("metadata");
    assertThat(event.get("policy").asString()).isEqualTo(policy);
    assertThat(event.get("revision").asInt()).isEqualTo(2);
  }
}
