package dev.keyturn.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.keyturn.server.clock.TestClock;
import dev.keyturn.server.config.AutomationProperties;
import dev.keyturn.server.delivery.DeliveryWorker;
import dev.keyturn.server.delivery.WebhookSignature;
import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.jdbc.Dialect;
import dev.keyturn.server.lifecycle.internal.GapDetector;
import dev.keyturn.server.lifecycle.internal.Transitions;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.subscription.Subscriptions;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.ServerTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** Dated scenarios on the test clock: set the clock, sweep, deliver, look at what went out. */
abstract class AutomationTests extends ServerTest {
  @Autowired Sweep sweep;
  @Autowired DeliveryWorker deliveries;
  @Autowired Transitions transitions;
  @Autowired GapDetector gaps;
  @Autowired TransactionTemplate tx;
  @Autowired JdbcClient sql;
  @Autowired AutomationProperties settings;
  @Autowired Dialect dialect;
  @Autowired Subscriptions subscriptionRows;

  private TestClock testClock() {
    return (TestClock) clock;
  }

  /** Moves the clock to {@code at} (if it is not there already), sweeps and delivers. */
  private void at(Instant at) {
    if (at.isAfter(clock.instant())) {
      testClock().set(at);
    }
    sweep.run();
    deliveries.runOnce();
  }

  private List<String> subjects(String subscriptionId) {
    List<String> out = new ArrayList<>();
    String customer = "&recipient=ops@example.com";
    for (JsonNode m :
        admin().get("/api/v1/mails?subscription_id=" + subscriptionId + customer).json()) {
      out.add(0, m.get("subject").asString());
    }
    return out;
  }

  private List<String> vendorMails(String subscriptionId, String recipient) {
    List<String> out = new ArrayList<>();
    for (JsonNode m :
        admin()
            .get("/api/v1/mails?subscription_id=" + subscriptionId + "&recipient=" + recipient)
            .json()) {
      out.add(m.get("subject").asString());
    }
    return out;
  }

  /**
   * Issues by hand with {@code "notify": false}, so that a scenario's mails are its notices (a
   * license issued by hand is mailed by default).
   */
  protected Api.Response issuedWithoutMail(String subscriptionId, String duration) {
    Api.Response r =
        issue(as(Role.SALES), subscriptionId, Map.of("duration", duration, "notify", false));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r;
  }

  /** A started local webhook receiver that answers each POST with what {@code answer} returns. */
  private static HttpServer receiver(String path, BiFunction<String, String, Integer> answer)
      throws IOException {
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        path,
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String signature = exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER);
          exchange.sendResponseHeaders(answer.apply(body, signature), -1);
          exchange.close();
        });
    receiver.start();
    return receiver;
  }

  /** Registers the local receiver as a webhook endpoint for those event types. */
  private Api.Response endpoint(
      HttpServer receiver, String path, String secret, List<String> eventTypes) {
    Api.Response endpoint =
        admin()
            .post(
                "/api/v1/webhook-endpoints",
                Map.of(
                    "url",
                    "http://127.0.0.1:" + receiver.getAddress().getPort() + path,
                    "secret",
                    secret,
                    "event_types",
                    eventTypes));
    assertThat(endpoint.status()).as(endpoint.toString()).isEqualTo(201);
    return endpoint;
  }

  private Instant expiryOf(Api.Response license) {
    return Instant.parse(license.field("expires_at"));
  }

  @Test
  void the_appliance_preset_sends_its_six_notices_at_their_instants_and_locks_at_d_plus_60() {
    String sub = createSubscription("Six Notices");
    Instant expires = expiryOf(issuedWithoutMail(sub, "P31D"));
    at(clock.instant());
    assertThat(subjects(sub)).isEmpty();

    List<String> expected = new ArrayList<>();
    for (int days : new int[] {30, 15, 7, 1}) {
      at(expires.minus(Duration.ofDays(days)).minusSeconds(60));
      assertThat(subjects(sub)).as("just before D-" + days).hasSize(expected.size());
      at(expires.minus(Duration.ofDays(days)));
      expected.add("Your Six Notices license expires in " + days + " day(s)");
      assertThat(subjects(sub)).as("at D-" + days).containsExactlyElementsOf(expected);
      at(expires.minus(Duration.ofDays(days)).plusSeconds(3600));
      assertThat(subjects(sub)).as("an hour after D-" + days).hasSize(expected.size());
    }
    at(expires);
    expected.add("Your Six Notices license has expired: 60 days of grace");
    assertThat(subjects(sub)).containsExactlyElementsOf(expected);
    at(expires.plus(Duration.ofDays(60)).minusSeconds(1));
    assertThat(subjects(sub)).hasSize(5);
    at(expires.plus(Duration.ofDays(60)));
    expected.add("Your Six Notices product is locked");
    assertThat(subjects(sub)).containsExactlyElementsOf(expected);
    at(expires.plus(Duration.ofDays(90)));
    assertThat(subjects(sub)).hasSize(6);

    JsonNode mail = admin().get("/api/v1/mails?subscription_id=" + sub).json().get(0);
    assertThat(mail.get("recipient").asString()).isEqualTo("ops@example.com");
    assertThat(mail.get("attachments").toString()).contains("license-dates.ics");
    assertThat(
            admin().get("/api/v1/events?type=license.locked&subscription_id=" + sub).json().size())
        .isEqualTo(1);
    assertThat(vendorMails(sub, "account-team@vendor.example"))
        .containsExactly("Renewal due in 15 days: Six Notices");
    assertThat(vendorMails(sub, "support@vendor.example"))
        .containsExactly("License expires in 7 days: Six Notices");
    JsonNode renewal =
        admin().get("/api/v1/events?type=renewal.requested&subscription_id=" + sub).json();
    assertThat(renewal.size()).isEqualTo(1);
    assertThat(renewal.get(0).get("metadata").get("source").asString()).isEqualTo("AUTOMATIC");
  }

  @Test
  void the_subscription_preset_goes_read_only_then_suspended_after_seven_days() {
    Map<String, Object> body = subscription("Self Serve");
    body.put("policy_preset", "subscription");
    String sub = as(Role.SALES).post("/api/v1/subscriptions", body).field("id");
    Instant expires = expiryOf(issuedWithoutMail(sub, "P40D"));

    at(expires);
    assertThat(subjects(sub))
        .containsExactly("Your Self Serve license has expired: 7 days of grace");
    assertThat(subjects(sub).toString()).doesNotContain("30 day");
    JsonNode expired = admin().get("/api/v1/mails?subscription_id=" + sub).json().get(0);
    assertThat(expired.get("text_body").asString()).contains("read-only mode for 7 more day(s)");
    at(expires.plus(Duration.ofDays(7)));
    assertThat(subjects(sub)).last().isEqualTo("Your Self Serve product is suspended");
    assertThat(
            admin()
                .get("/api/v1/events?type=subscription.suspended&subscription_id=" + sub)
                .json()
                .size())
        .isEqualTo(1);
  }

  @Test
  void downtime_across_three_stages_sends_only_the_latest() {
    String sub = createSubscription("Downtime Corp");
    Instant expires = expiryOf(issuedWithoutMail(sub, "P40D"));
    at(clock.instant());
    at(expires.minus(Duration.ofDays(7)).plusSeconds(10)); // D-30, D-15 and D-7 all crossed
    assertThat(subjects(sub)).containsExactly("Your Downtime Corp license expires in 7 day(s)");
  }

  @Test
  void a_payment_at_d_minus_10_silences_later_notices_and_mails_the_new_license() {
    String sub = createSubscription("Paying Corp");
    Instant expires = expiryOf(issuedWithoutMail(sub, "P40D"));
    at(expires.minus(Duration.ofDays(10)));
    // D-30 and D-15 were crossed; the D-15 notice tells the days actually left.
    assertThat(subjects(sub)).containsExactly("Your Paying Corp license expires in 10 day(s)");

    Instant paidThrough = expires.plus(Duration.ofDays(365));
    Api.Response paid =
        as(Role.SALES)
            .post(
                "/api/v1/subscriptions/" + sub + "/payments",
                Map.of(
                    "reference", "INV-1",
                    "amount", "1200.00 EUR",
                    "paid_through", paidThrough.toString()));
    assertThat(paid.status()).as(paid.toString()).isEqualTo(201);
    String licenseId = paid.field("license_id");
    assertThat(licenseId).isNotNull();
    JsonNode license = admin().get("/api/v1/licenses/" + licenseId).json();
    assertThat(Instant.parse(license.get("expires_at").asString())).isEqualTo(paidThrough);
    assertThat(Instant.parse(license.get("not_before").asString()))
        .isBeforeOrEqualTo(clock.instant());

    at(clock.instant());
    assertThat(subjects(sub)).last().isEqualTo("Your renewed Paying Corp license");
    JsonNode mail = admin().get("/api/v1/mails?subscription_id=" + sub).json().get(0);
    assertThat(mail.get("attachments").toString()).contains(licenseId + ".license.toml");
    int before = subjects(sub).size();
    at(expires.plus(Duration.ofDays(61)));
    assertThat(subjects(sub)).hasSize(before);
    assertThat(admin().get("/api/v1/license-gaps").body()).doesNotContain(sub);
  }

  @Test
  void a_paid_through_patch_issues_the_covering_license_in_the_same_request() {
    String sub = createSubscription("Patch Pay");
    issuedWithoutMail(sub, "P10D");
    Instant paidThrough =
        clock
            .instant()
            .plus(Duration.ofDays(100))
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Api.Response patched =
        as(Role.SALES)
            .patch("/api/v1/subscriptions/" + sub, Map.of("paid_through", paidThrough.toString()));
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    JsonNode newest =
        admin().get("/api/v1/licenses?subscription_id=" + sub + "&sort=-expires_at").json().get(0);
    assertThat(Instant.parse(newest.get("expires_at").asString())).isEqualTo(paidThrough);
  }

  @Test
  void a_muted_contact_misses_the_early_reminders_but_never_d_minus_1() {
    Map<String, Object> body = subscription("Muted Corp");
    body.put(
        "contacts",
        Map.of(
            "admin_emails",
            List.of("ops@example.com", "boss@example.com"),
            "billing_emails",
            List.of()));
    String sub = as(Role.SALES).post("/api/v1/subscriptions", body).field("id");
    Api.Response muted =
        as(Role.SUPPORT)
            .send(
                "PUT",
                "/api/v1/subscriptions/" + sub + "/contacts/boss@example.com/preferences",
                Map.of("mute_early_reminders", true));
    assertThat(muted.status()).as(muted.toString()).isEqualTo(200);
    Instant expires = expiryOf(issuedWithoutMail(sub, "P40D"));
    at(expires.minus(Duration.ofDays(30)));
    at(expires.minus(Duration.ofDays(1)));
    List<String> toBoss = new ArrayList<>();
    for (JsonNode m :
        admin()
            .get("/api/v1/mails?subscription_id=" + sub + "&recipient=boss@example.com")
            .json()) {
      toBoss.add(m.get("subject").asString());
    }
    assertThat(toBoss).containsExactly("Your Muted Corp license expires in 1 day(s)");
    assertThat(
            admin()
                .get("/api/v1/mails?subscription_id=" + sub + "&recipient=ops@example.com")
                .json()
                .size())
        .isEqualTo(2);
  }

  @Test
  void webhooks_are_signed_and_retried_until_the_receiver_answers() throws IOException {
    List<String> received = new CopyOnWriteArrayList<>();
    int[] answer = {500};
    String secret = "a-long-enough-webhook-secret";
    // The endpoint hears about every subscription; the test looks at its own.
    String[] subscriptionId = {createSubscription("Hooked Corp")};
    HttpServer receiver =
        receiver(
            "/hook",
            (body, signature) -> {
              boolean valid = WebhookSignature.verify(secret, signature, body, clock.instant());
              if (valid && answer[0] == 200 && body.contains(subscriptionId[0])) {
                received.add(body);
              }
              return valid ? answer[0] : 401;
            });
    try {
      Api.Response endpoint =
          endpoint(receiver, "/hook", secret, List.of("license.expiring", "renewal.requested"));
      String sub = subscriptionId[0];
      Instant expires = expiryOf(issuedWithoutMail(sub, "P40D"));
      at(expires.minus(Duration.ofDays(1)));
      assertThat(received).isEmpty();
      // Only this endpoint's rows: an endpoint another test left on the shared schema may also
      // hear.
      List<JsonNode> pending = new ArrayList<>();
      for (JsonNode d :
          admin().get("/api/v1/deliveries?state=PENDING&subscription_id=" + sub).json()) {
        if (endpoint.field("id").equals(d.path("endpoint_id").asString(""))) {
          pending.add(d);
        }
      }
      assertThat(pending).as(pending.toString()).hasSize(2);
      answer[0] = 200;
      at(clock.instant().plus(Duration.ofMinutes(1)));
      assertThat(received).hasSize(2);
      assertThat(String.join("\n", received))
          .contains("\"type\":\"license.expiring\"")
          .contains("\"stage\":\"D-1\"")
          .contains("\"type\":\"renewal.requested\"");
      assertThat(
              WebhookSignature.verify(
                  secret,
                  WebhookSignature.header(secret, clock.instant(), "{}"),
                  "{}",
                  clock.instant().plus(Duration.ofMinutes(6))))
          .as("outside the replay window")
          .isFalse();
      List<JsonNode> hooks = new ArrayList<>();
      for (JsonNode d : admin().get("/api/v1/deliveries?subscription_id=" + sub).json()) {
        if (endpoint.field("id").equals(d.path("endpoint_id").asString(""))) {
          hooks.add(d);
        }
      }
      assertThat(hooks).hasSize(2).allMatch(d -> d.get("state").asString().equals("DELIVERED"));
      JsonNode attempts =
          admin().get("/api/v1/deliveries/" + hooks.get(0).get("id") + "/attempts").json();
      assertThat(attempts.size()).isEqualTo(2);
      assertThat(attempts.get(0).get("succeeded").asBoolean()).isFalse();
      assertThat(attempts.get(1).get("succeeded").asBoolean()).isTrue();
      admin().post("/api/v1/webhook-endpoints/" + endpoint.field("id") + "/disable", Map.of());
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  void a_pending_delivery_from_before_a_restart_is_delivered_by_the_next_run() {
    String sub = createSubscription("Restart Corp");
    Instant expires = expiryOf(issuedWithoutMail(sub, "P40D"));
    testClock().set(expires.minus(Duration.ofDays(30)));
    sweep.run(); // committed: the notice is enqueued, nothing sent yet ("crash" here)
    assertThat(subjects(sub)).isEmpty();
    JsonNode pending =
        admin().get("/api/v1/deliveries?state=PENDING&subscription_id=" + sub).json();
    assertThat(pending.findValuesAsString("kind").stream().filter("MAIL"::equals).count())
        .as(pending.toString())
        .isEqualTo(1);
    deliveries.runOnce(); // any later worker (another run, another server) sends it once
    deliveries.runOnce();
    assertThat(subjects(sub)).containsExactly("Your Restart Corp license expires in 30 day(s)");
  }

  @Test
  void the_third_grace_period_in_twelve_months_requires_upfront_payment() {
    String sub = createSubscription("Late Payer");
    for (int round = 1; round <= 3; round++) {
      Instant expires = expiryOf(issuedWithoutMail(sub, "P2D"));
      at(expires.plusSeconds(60));
      JsonNode s = admin().get("/api/v1/subscriptions/" + sub).json();
      assertThat(s.get("lifecycle_phase").asString()).isEqualTo("GRACE");
      assertThat(s.get("requires_upfront_payment").asBoolean())
          .as("round " + round)
          .isEqualTo(round == 3);
    }
    assertThat(
            admin()
                .get("/api/v1/events?type=subscription.reactivated&subscription_id=" + sub)
                .json()
                .size())
        .isEqualTo(2);
    assertThat(
            admin()
                .get(
                    "/api/v1/events?type=subscription.upfront_payment_required&subscription_id="
                        + sub)
                .json()
                .size())
        .isEqualTo(1);
  }

  @Test
  void a_gap_between_paid_through_and_the_newest_license_is_listed_and_reported_once() {
    Map<String, Object> body = subscription("Gap Corp");
    body.put("paid_through", clock.instant().plus(Duration.ofDays(90)).toString());
    String sub = as(Role.SALES).post("/api/v1/subscriptions", body).field("id");
    assertThat(admin().get("/api/v1/license-gaps").body()).contains(sub);
    at(clock.instant());
    at(clock.instant());
    assertThat(
            admin()
                .get("/api/v1/events?type=license.gap_detected&subscription_id=" + sub)
                .json()
                .size())
        .isEqualTo(1);
  }

  @Test
  void the_gap_pass_reads_what_is_covered_beyond_now_whichever_date_covers_it() {
    Map<String, Object> contracted = subscription("Contract Gap Corp");
    contracted.put("contract_end", clock.instant().plus(Duration.ofDays(90)).toString());
    String byContract = as(Role.SALES).post("/api/v1/subscriptions", contracted).field("id");
    Map<String, Object> lapsed = subscription("Lapsed Corp");
    lapsed.put("paid_through", clock.instant().minus(Duration.ofDays(10)).toString());
    String paidInThePast = as(Role.SALES).post("/api/v1/subscriptions", lapsed).field("id");

    String listed = admin().get("/api/v1/license-gaps").body();
    assertThat(listed).contains(byContract).doesNotContain(paidInThePast);
    at(clock.instant());
    assertThat(
            admin()
                .get("/api/v1/events?type=license.gap_detected&subscription_id=" + byContract)
                .json()
                .size())
        .isEqualTo(1);
    // Once the contract has ended, nothing is covered beyond now any more.
    at(clock.instant().plus(Duration.ofDays(91)));
    assertThat(admin().get("/api/v1/license-gaps").body()).doesNotContain(byContract);
  }

  @Test
  void a_catch_up_in_parallel_batches_handles_each_subscription_due_at_one_instant_once() {
    List<String> subs = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      String s = createSubscription("Tie " + i);
      issuedWithoutMail(s, "P40D");
      subs.add(s);
    }
    deliveries.runOnce();
    // All nine due at one instant, and batches of two: the first batch is full, so further
    // batches run in parallel, and each batch ends inside the tie; the next one must start at
    // that instant, not after it.
    Instant due = clock.instant().plus(Duration.ofDays(10));
    sql.sql(
            "update subscription_lifecycle set next_transition_at = ? where subscription_id in ("
                + String.join(", ", subs.stream().map(s -> "?").toList())
                + ")")
        .param(Db.ts(due))
        .params(subs)
        .update();
    testClock().set(due.plus(Duration.ofHours(1)));
    Sweep smallBatches =
        new Sweep(
            sql,
            tx,
            clock,
            transitions,
            gaps,
            new AutomationProperties(
                new AutomationProperties.Sweep(null, 2),
                settings.delivery(),
                settings.notifications(),
                settings.scheduler()),
            dialect,
            subscriptionRows);

    assertThat(smallBatches.run()).isGreaterThanOrEqualTo(subs.size());
    deliveries.runOnce();
    for (String s : subs) {
      assertThat(subjects(s)).as(s).hasSize(1);
      assertThat(subjects(s).get(0)).contains("license expires in");
    }
    assertThat(
            sql.sql(
                    "select count(*) from subscription_lifecycle where next_transition_at <= ? and"
                        + " subscription_id in ("
                        + String.join(", ", subs.stream().map(s -> "?").toList())
                        + ")")
                .param(Db.ts(clock.instant()))
                .params(subs)
                .query(Long.class)
                .single())
        .isZero();

    smallBatches.run();
    deliveries.runOnce();
    subs.forEach(s -> assertThat(subjects(s)).as(s).hasSize(1));
  }

  @Test
  void one_sweep_gives_subscriptions_at_different_stages_each_its_own_most_urgent_notice() {
    String early = createSubscription("Batch Early");
    String fifteen = createSubscription("Batch Fifteen");
    String seven = createSubscription("Batch Seven");
    String expired = createSubscription("Batch Expired");
    // Issuance applies the lifecycle at once: a stage already crossed is notified then.
    issuedWithoutMail(early, "P40D");
    issuedWithoutMail(fifteen, "P18D");
    issuedWithoutMail(seven, "P9D");
    issuedWithoutMail(expired, "P2D");
    deliveries.runOnce();

    at(clock.instant().plus(Duration.ofDays(3))); // all four in one sweep, one batch
    assertThat(subjects(early)).isEmpty();
    assertThat(subjects(fifteen))
        .containsExactly(
            "Your Batch Fifteen license expires in 18 day(s)",
            "Your Batch Fifteen license expires in 15 day(s)");
    assertThat(subjects(seven))
        .containsExactly(
            "Your Batch Seven license expires in 9 day(s)",
            "Your Batch Seven license expires in 6 day(s)");
    assertThat(subjects(expired))
        .containsExactly(
            "Your Batch Expired license expires in 2 day(s)",
            "Your Batch Expired license has expired: 60 days of grace");
    assertThat(
            admin()
                .get("/api/v1/subscriptions/" + expired)
                .json()
                .get("lifecycle_phase")
                .asString())
        .isEqualTo("GRACE");
    assertThat(vendorMails(fifteen, "account-team@vendor.example"))
        .containsExactly("Renewal due in 15 days: Batch Fifteen");
    assertThat(vendorMails(seven, "support@vendor.example"))
        .containsExactly("License expires in 7 days: Batch Seven");

    at(clock.instant().plus(Duration.ofMinutes(1)));
    assertThat(subjects(fifteen)).hasSize(2);
    assertThat(subjects(seven)).hasSize(2);
    assertThat(subjects(expired)).hasSize(2);
  }

  @Test
  void a_license_issued_by_hand_is_mailed_with_its_file_unless_the_request_says_not_to()
      throws IOException {
    List<String> received = new CopyOnWriteArrayList<>();
    String sub = createSubscription("Hand Issued");
    HttpServer receiver =
        receiver(
            "/issued",
            (body, signature) -> {
              if (body.contains(sub)) {
                received.add(body);
              }
              return 200;
            });
    try {
      Api.Response endpoint =
          endpoint(receiver, "/issued", "a-long-enough-webhook-secret", List.of("license.issued"));

      Api.Response mailed = issued(sub, "P90D");
      Api.Response quiet = issue(as(Role.SALES), sub, Map.of("duration", "P120D", "notify", false));
      assertThat(quiet.status()).as(quiet.toString()).isEqualTo(201);
      deliveries.runOnce();

      JsonNode mails = admin().get("/api/v1/mails?subscription_id=" + sub).json();
      assertThat(mails.size()).as(mails.toString()).isEqualTo(1);
      assertThat(mails.get(0).get("subject").asString()).isEqualTo("Your new Hand Issued license");
      assertThat(mails.get(0).get("recipient").asString()).isEqualTo("ops@example.com");
      assertThat(mails.get(0).get("attachments").toString())
          .contains(mailed.field("id") + ".license.toml")
          .contains("license-dates.ics");
      assertThat(received).hasSize(2);
      assertThat(String.join("\n", received))
          .contains(mailed.field("id"))
          .contains(quiet.field("id"))
          .contains("\"type\":\"license.issued\"");
      admin().post("/api/v1/webhook-endpoints/" + endpoint.field("id") + "/disable", Map.of());
    } finally {
      receiver.stop(0);
    }
  }

  @Test
  void a_revocation_that_leaves_paid_time_uncovered_is_reported_by_the_next_sweep() {
    String sub = createSubscription("Revoked Gap");
    String license = issuedWithoutMail(sub, "P90D").field("id");
    Api.Response patched =
        as(Role.SALES)
            .patch(
                "/api/v1/subscriptions/" + sub,
                Map.of("paid_through", clock.instant().plus(Duration.ofDays(60)).toString()));
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    at(clock.instant());
    assertThat(gapEvents(sub)).isZero();

    Api.Response revoked =
        admin().post("/api/v1/licenses/" + license + "/revoke", Map.of("reason", "test"));
    assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
    at(clock.instant().plus(Duration.ofMinutes(1)));
    assertThat(gapEvents(sub)).isEqualTo(1);
  }

  private int gapEvents(String sub) {
    return admin()
        .get("/api/v1/events?type=license.gap_detected&subscription_id=" + sub)
        .json()
        .size();
  }
}
