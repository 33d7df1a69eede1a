package dev.keyturn.server.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.testhelper.ManualScheduler;
import com.github.kagkarlsson.scheduler.testhelper.SettableClock;
import com.github.kagkarlsson.scheduler.testhelper.TestHelper;
import dev.keyturn.server.billing.internal.StripePayloadRetention;
import dev.keyturn.server.clock.TestClock;
import dev.keyturn.server.delivery.DeliveryWorker;
import dev.keyturn.server.lifecycle.Sweep;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.ServerTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Stripe events in their real JSON shapes and signatures, against a running server on the test
 * clock. This context is not the shared one (it has Stripe settings), so it makes its own users
 * with names of its own and never uses {@link #as(Role)}.
 */
abstract class BillingTests extends ServerTest {
  static final FakeStripeApi STRIPE_API = new FakeStripeApi();
  private static final AtomicInteger SEQ = new AtomicInteger();
  private static final Map<String, String> STAFF = new java.util.concurrent.ConcurrentHashMap<>();

  @Autowired Sweep sweep;
  @Autowired DeliveryWorker deliveries;
  @Autowired PortalLinks links;
  @Autowired JdbcClient jdbc;
  @Autowired DataSource dataSource;
  @Autowired List<RecurringTask<?>> recurringTasks;

  @DynamicPropertySource
  static void stripe(DynamicPropertyRegistry r) {
    r.add("keyturn.stripe.webhook-secret", () -> StripeFixtures.SECRET);
    r.add("keyturn.stripe.api-key", () -> "sk_test_keyturn");
    r.add("keyturn.stripe.api-base", STRIPE_API::base);
    r.add("keyturn.stripe.portal-return-url", () -> "https://vendor.example/account");
    r.add("keyturn.public-url", () -> "https://licenses.vendor.example/");
    r.add("keyturn.stripe.prices.price_basic.tier", () -> "basic");
    r.add("keyturn.stripe.prices.price_basic.rank", () -> "1");
    r.add("keyturn.stripe.prices.price_basic.seats", () -> "10");
    r.add("keyturn.stripe.prices.price_basic.limits.users", () -> "10");
    r.add("keyturn.stripe.prices.price_pro.tier", () -> "pro");
    r.add("keyturn.stripe.prices.price_pro.rank", () -> "2");
    r.add("keyturn.stripe.prices.price_pro.seats", () -> "50");
    r.add("keyturn.stripe.prices.price_pro.limits.users", () -> "50");
    r.add("keyturn.stripe.prices.price_pro.features", () -> "sso,audit");
  }

  // ---- helpers

  private TestClock testClock() {
    return (TestClock) clock;
  }

  private void at(Instant at) {
    if (at.isAfter(clock.instant())) {
      testClock().set(at);
    }
    sweep.run();
    deliveries.runOnce();
  }

  /** Staff of a role, with user names of this context's own. */
  private Api staff(Role role) {
    if (role == Role.ADMIN) {
      return admin();
    }
    String token =
        STAFF.computeIfAbsent(
            port + "/" + role,
            k -> {
              String user =
                  "billing-" + role.name().toLowerCase(java.util.Locale.ROOT) + "-" + port;
              Api.Response made =
                  admin()
                      .post(
                          "/api/v1/users",
                          Map.of("username", user, "password", USER_PASSWORD, "role", role));
              assertThat(made.status()).as(made.toString()).isIn(201, 409);
              Api.Response t =
                  new Api(port, Api.basic(user, USER_PASSWORD))
                      .post("/api/v1/api-tokens", Map.of("name", "billing", "role", role));
              assertThat(t.status()).as(t.toString()).isEqualTo(201);
              return t.field("token");
            });
    return new Api(port, Api.bearer(token));
  }

  private record Sub(String id, String customer, String stripeSubscription) {}

  private Sub stripeSubscription(String name, String policy) {
    int n = SEQ.incrementAndGet();
    String customer = "cus_T" + port + "x" + n;
    String stripeSub = "sub_1T" + port + "x" + n;
    Map<String, Object> body = subscription(name);
    body.put("stripe_customer_id", customer);
    body.put("stripe_subscription_id", stripeSub);
    body.put("billing_cycle", "MONTHLY");
    body.put("auto_renew", true);
    body.put("policy_preset", policy);
    body.put(
        "contacts",
        Map.of(
            "admin_emails",
            List.of("ops@example.com"),
            "billing_emails",
            List.of("pay@example.com")));
    Api.Response created = admin().post("/api/v1/subscriptions", body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return new Sub(created.field("id"), customer, stripeSub);
  }

  private static String eventId() {
    return "evt_1T" + Long.toString(System.nanoTime(), 36) + SEQ.incrementAndGet();
  }

  private String invoice(
      String type, String eventId, Sub s, Instant created, Instant start, Instant end) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("event_id", eventId);
    v.put("created", created.getEpochSecond());
    v.put("invoice_id", "in_" + eventId.substring(4));
    v.put("customer", s.customer());
    v.put("subscription", s.stripeSubscription());
    v.put("period_start", start.getEpochSecond());
    v.put("period_end", end.getEpochSecond());
    v.put("amount", 12000);
    v.put("next_attempt", created.plus(Duration.ofDays(3)).getEpochSecond());
    return StripeFixtures.event(type, v);
  }

  private String subscriptionEvent(
      String type,
      String eventId,
      Sub s,
      Instant created,
      String price,
      long quantity,
      boolean cancelAtPeriodEnd,
      String status,
      Instant periodEnd) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("event_id", eventId);
    v.put("type", type);
    v.put("created", created.getEpochSecond());
    v.put("customer", s.customer());
    v.put("subscription", s.stripeSubscription());
    v.put("period_start", periodEnd.minus(Duration.ofDays(30)).getEpochSecond());
    v.put("period_end", periodEnd.getEpochSecond());
    v.put("price", price);
    v.put("quantity", quantity);
    v.put("cancel_at_period_end", cancelAtPeriodEnd);
    v.put("cancel_at", cancelAtPeriodEnd ? String.valueOf(periodEnd.getEpochSecond()) : "null");
    v.put("canceled_at", cancelAtPeriodEnd ? String.valueOf(created.getEpochSecond()) : "null");
    v.put("cancellation_reason", cancelAtPeriodEnd ? "\"cancellation_requested\"" : "null");
    v.put("status", status);
    v.put("previous_attributes", "{\"cancel_at_period_end\": " + !cancelAtPeriodEnd + "}");
    return StripeFixtures.event("customer.subscription.updated", v);
  }

  /** Signed now on the server's clock. */
  private HttpResponse<String> deliver(String payload) {
    return StripeFixtures.post(
        port,
        payload,
        StripeFixtures.signature(payload, StripeFixtures.SECRET, clock.instant().getEpochSecond()));
  }

  private String outcome(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Api.Response.class.isInstance(null) ? null : json(r.body()).get("outcome").asString();
  }

  private static JsonNode json(String body) {
    return tools.jackson.databind.json.JsonMapper.builder().build().readTree(body);
  }

  private JsonNode subscriptionOf(Sub s) {
    return admin().get("/api/v1/subscriptions/" + s.id()).json();
  }

  private JsonNode licenses(Sub s) {
    return admin().get("/api/v1/licenses?subscription_id=" + s.id()).json();
  }

  private int events(String type, Sub s) {
    return admin().get("/api/v1/events?type=" + type + "&subscription_id=" + s.id()).json().size();
  }

  private List<String> subjects(Sub s, String recipient) {
    List<String> out = new ArrayList<>();
    for (JsonNode m :
        admin().get("/api/v1/mails?subscription_id=" + s.id() + "&recipient=" + recipient).json()) {
      out.add(0, m.get("subject").asString());
    }
    return out;
  }

  private Api.Response checkIn(String licenseText, String licenseId) {
    return anonymous()
        .as(Api.bearer(licenseToken(licenseText)))
        .post(
            "/api/v1/check-in",
            Map.of("license_id", licenseId, "instance_id", "inst-1", "client_version", "test"));
  }

  private JsonNode newestLicense(Sub s) {
    JsonNode list = licenses(s);
    JsonNode newest = list.get(0);
    for (JsonNode l : list) {
      if (Instant.parse(l.get("expires_at").asString())
          .isAfter(Instant.parse(newest.get("expires_at").asString()))) {
        newest = l;
      }
    }
    return admin().get("/api/v1/licenses/" + newest.get("id").asString()).json();
  }

  private static Instant whole(Instant i) {
    return i.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
  }

  // ---- webhook basics

  @Test
  void the_same_invoice_paid_delivered_ten_times_renews_once() {
    Sub s = stripeSubscription("Ten Times", "subscription");
    Instant start = whole(clock.instant());
    Instant end = start.plus(Duration.ofDays(30));
    String payload = invoice("invoice.paid", eventId(), s, start, start, end);

    List<String> outcomes = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      outcomes.add(outcome(deliver(payload)));
    }
    deliveries.runOnce();

    assertThat(outcomes.get(0)).isEqualTo("APPLIED");
    assertThat(outcomes.subList(1, 10)).containsOnly("DUPLICATE");
    assertThat(subscriptionOf(s).get("paid_through").asString()).isEqualTo(end.toString());
    assertThat(licenses(s).size()).isEqualTo(1);
    assertThat(events("payment.recorded", s)).isEqualTo(1);
    assertThat(subjects(s, "ops@example.com"))
        .filteredOn(m -> m.contains("new"))
        .containsExactly("Your new Ten Times license");
  }

  @Test
  void a_bad_signature_or_a_stale_timestamp_is_refused_and_changes_nothing() {
    Sub s = stripeSubscription("Bad Signature", "subscription");
    // The server's clock an hour ahead of the machine's: a timestamp 301 s old on the server's
    // clock is in the machine's future, so only a check on the server's clock refuses it.
    testClock().advance(Duration.ofHours(1));
    Instant now = whole(clock.instant());
    String payload = invoice("invoice.paid", eventId(), s, now, now, now.plus(Duration.ofDays(30)));
    long t = now.getEpochSecond();

    List<HttpResponse<String>> refused =
        List.of(
            StripeFixtures.post(port, payload, StripeFixtures.signature(payload, "whsec_other", t)),
            StripeFixtures.post(
                port, payload, StripeFixtures.signature(payload, StripeFixtures.SECRET, t - 301)),
            // Correctly signed, but stamped an hour (or six minutes) ahead of the server's clock;
            // six, not five and a second, because a loaded machine may take seconds to get here.
            StripeFixtures.post(
                port, payload, StripeFixtures.signature(payload, StripeFixtures.SECRET, t + 3600)),
            StripeFixtures.post(
                port, payload, StripeFixtures.signature(payload, StripeFixtures.SECRET, t + 360)),
            StripeFixtures.post(
                port,
                payload.replace("\"amount_paid\": 12000", "\"amount_paid\": 1"),
                StripeFixtures.signature(payload, StripeFixtures.SECRET, t)),
            StripeFixtures.post(port, payload, null),
            StripeFixtures.post(port, payload, "t=" + t + ",v0=abc"));
    for (HttpResponse<String> r : refused) {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(json(r.body()).get("code").asString()).isEqualTo("stripe.signature_invalid");
    }
    assertThat(subscriptionOf(s).get("paid_through").isNull()).isTrue();
    assertThat(licenses(s).size()).isZero();

    // Almost 300 s late is still inside the tolerance, on the server's (test) clock, which other
    // tests have moved away from the machine's.
    HttpResponse<String> late =
        StripeFixtures.post(
            port, payload, StripeFixtures.signature(payload, StripeFixtures.SECRET, t - 290));
    assertThat(outcome(late)).isEqualTo("APPLIED");
    assertThat(licenses(s).size()).isEqualTo(1);
  }

  @Test
  void an_old_payment_failed_arriving_after_a_newer_invoice_paid_changes_nothing() {
    Sub s = stripeSubscription("Out Of Order", "subscription");
    Instant start = whole(clock.instant());
    Instant end = start.plus(Duration.ofDays(30));
    Instant failedAt = start.minus(Duration.ofHours(2));
    String paid = invoice("invoice.paid", eventId(), s, start, start, end);
    String failed = invoice("invoice.payment_failed", eventId(), s, failedAt, start, end);

    assertThat(outcome(deliver(paid))).isEqualTo("APPLIED");
    assertThat(outcome(deliver(failed))).isEqualTo("STALE");
    deliveries.runOnce();

    JsonNode license = newestLicense(s);
    Api.Response checkIn = checkIn(license.get("text").asString(), license.get("id").asString());
    assertThat(checkIn.status()).as(checkIn.toString()).isEqualTo(200);
    assertThat(checkIn.json().get("payment_failing").asBoolean()).isFalse();
    assertThat(events("payment.failed", s)).isZero();
    assertThat(subjects(s, "pay@example.com")).doesNotContain("Your payment failed");
    assertThat(subscriptionOf(s).get("paid_through").asString()).isEqualTo(end.toString());
  }

  @Test
  void events_for_unknown_stripe_ids_are_kept_and_listed_and_unknown_types_answered() {
    Sub unknown = new Sub("none", "cus_Unknown" + SEQ.incrementAndGet(), "sub_Unknown");
    Instant now = whole(clock.instant());
    String id = eventId();
    assertThat(
            outcome(
                deliver(
                    invoice("invoice.paid", id, unknown, now, now, now.plus(Duration.ofDays(30))))))
        .isEqualTo("UNMATCHED");
    JsonNode listed = staff(Role.SALES).get("/api/v1/billing/unmatched-events").json();
    assertThat(listed.toString()).contains(id).contains(unknown.customer());

    // Follow-up: staff set the ids on the subscription, Stripe resends the same event, it applies.
    Sub later = stripeSubscription("Matched Later", "subscription");
    Api.Response patched =
        admin()
            .patch(
                "/api/v1/subscriptions/" + later.id(),
                Map.of(
                    "stripe_customer_id",
                    unknown.customer(),
                    "stripe_subscription_id",
                    "sub_Unknown"));
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    assertThat(
            outcome(
                deliver(
                    invoice("invoice.paid", id, unknown, now, now, now.plus(Duration.ofDays(30))))))
        .isEqualTo("APPLIED");
    assertThat(licenses(later).size()).isEqualTo(1);
    assertThat(staff(Role.SALES).get("/api/v1/billing/unmatched-events").json().toString())
        .doesNotContain(id);

    Sub s = stripeSubscription("Trial Ending", "subscription");
    String trial =
        subscriptionEvent(
            "customer.subscription.trial_will_end",
            eventId(),
            s,
            now,
            "price_basic",
            1,
            false,
            "trialing",
            now.plus(Duration.ofDays(3)));
    assertThat(outcome(deliver(trial))).isEqualTo("UNHANDLED");
    String other =
        trial
            .replace(
                "\"type\": \"customer.subscription.trial_will_end\"",
                "\"type\": \"charge.refunded\"")
            .replace("evt_", "evt_other_");
    assertThat(outcome(deliver(other))).isEqualTo("UNHANDLED");
  }

  // ---- dates from the invoices

  @Test
  void a_monthly_subscription_anchored_on_jan_31_gets_its_period_ends_from_its_invoices() {
    int year = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).getYear() + 1;
    while (Year.isLeap(year)) {
      year++;
    }
    int leap = year + 1;
    while (!Year.isLeap(leap)) {
      leap++;
    }
    Sub s = stripeSubscription("Month Ends", "subscription");
    ZonedDateTime anchor = ZonedDateTime.of(year, 1, 31, 12, 0, 0, 0, ZoneOffset.UTC);
    List<LocalDate> ends = new ArrayList<>();
    for (int month = 0; month < 3; month++) {
      // What Stripe puts on the invoices: the anchor day, or the month's last day.
      Instant start = anchor.plusMonths(month).toInstant();
      Instant end = anchor.plusMonths(month + 1).toInstant();
      at(start);
      assertThat(outcome(deliver(invoice("invoice.paid", eventId(), s, start, start, end))))
          .isEqualTo("APPLIED");
      Instant paid = Instant.parse(subscriptionOf(s).get("paid_through").asString());
      assertThat(Instant.parse(newestLicense(s).get("expires_at").asString())).isEqualTo(paid);
      ends.add(LocalDate.ofInstant(paid, ZoneOffset.UTC));
    }
    assertThat(ends)
        .containsExactly(
            LocalDate.of(year, 2, 28), LocalDate.of(year, 3, 31), LocalDate.of(year, 4, 30));

    Sub leapSub = stripeSubscription("Leap Month Ends", "subscription");
    Instant leapStart = ZonedDateTime.of(leap, 1, 31, 12, 0, 0, 0, ZoneOffset.UTC).toInstant();
    Instant leapEnd =
        ZonedDateTime.of(leap, 1, 31, 12, 0, 0, 0, ZoneOffset.UTC).plusMonths(1).toInstant();
    at(leapStart);
    assertThat(
            outcome(
                deliver(
                    invoice("invoice.paid", eventId(), leapSub, leapStart, leapStart, leapEnd))))
        .isEqualTo("APPLIED");
    assertThat(subscriptionOf(leapSub).get("paid_through").asString())
        .isEqualTo(leap + "-02-29T12:00:00Z");
  }

  // ---- whole stories

  @Test
  void payment_failure_then_grace_then_late_payment_reactivates_with_a_new_license() {
    Sub s = stripeSubscription("Late Payment", "subscription");
    Instant start = whole(clock.instant());
    Instant end1 = start.plus(Duration.ofDays(30));
    Instant end2 = end1.plus(Duration.ofDays(31));
    assertThat(outcome(deliver(invoice("invoice.paid", eventId(), s, start, start, end1))))
        .isEqualTo("APPLIED");
    deliveries.runOnce();
    JsonNode first = newestLicense(s);

    // The renewal invoice fails at the period end: the customer is told, nothing locks, and
    // Stripe's API is not called while the event is handled.
    at(end1);
    int stripeCalls = STRIPE_API.calls.size();
    assertThat(outcome(deliver(invoice("invoice.payment_failed", eventId(), s, end1, end1, end2))))
        .isEqualTo("APPLIED");
    deliveries.runOnce();
    assertThat(STRIPE_API.calls).hasSize(stripeCalls);
    JsonNode failedMail =
        admin()
            .get("/api/v1/mails?subscription_id=" + s.id() + "&recipient=pay@example.com")
            .json()
            .get(0);
    assertThat(failedMail.get("subject").asString()).isEqualTo("Your payment failed");
    String link =
        failedMail
            .get("text_body")
            .asString()
            .lines()
            .filter(l -> l.contains("/billing/portal/"))
            .map(
                l ->
                    l.substring(
                            l.indexOf(
                                "https://licenses.vendor.example/billing/portal/"
                                    + s.id()
                                    + "?sig="))
                        .strip())
            .findFirst()
            .orElseThrow();
    // Clicked days later: the server opens a fresh session then, and sends the browser there.
    Api.Response click = anonymous().get(link.replace("https://licenses.vendor.example", ""));
    assertThat(click.status()).as(click.toString()).isEqualTo(303);
    assertThat(click.raw().headers().firstValue("Location"))
        .hasValue("https://billing.example/p/session/" + s.customer());
    assertThat(STRIPE_API.calls).hasSize(stripeCalls + 1);
    assertThat(STRIPE_API.calls.get(stripeCalls).form()).containsEntry("customer", s.customer());
    Api.Response tampered =
        anonymous()
            .get(link.replace("https://licenses.vendor.example", "").replace("sig=", "sig=0"));
    assertThat(tampered.status()).isEqualTo(404);
    assertThat(tampered.body()).contains("This billing link is not valid");
    assertThat(STRIPE_API.calls).hasSize(stripeCalls + 1);
    Api.Response failing = checkIn(first.get("text").asString(), first.get("id").asString());
    assertThat(failing.json().get("payment_failing").asBoolean()).isTrue();
    assertThat(failing.json().get("standing").get("phase").asString()).isEqualTo("GRACE");
    assertThat(subscriptionOf(s).get("lifecycle_phase").asString()).isEqualTo("GRACE");

    // Paid three days late: active again at once, with a new license through the new period.
    at(end1.plus(Duration.ofDays(3)));
    Instant paidAt = whole(clock.instant());
    assertThat(outcome(deliver(invoice("invoice.paid", eventId(), s, paidAt, end1, end2))))
        .isEqualTo("APPLIED");
    deliveries.runOnce();
    assertThat(subscriptionOf(s).get("lifecycle_phase").asString()).isIn("ACTIVE", "EXPIRING");
    assertThat(events("subscription.reactivated", s)).isEqualTo(1);
    JsonNode renewed = newestLicense(s);
    assertThat(renewed.get("expires_at").asString()).isEqualTo(end2.toString());
    JsonNode mail =
        admin()
            .get("/api/v1/mails?subscription_id=" + s.id() + "&recipient=ops@example.com")
            .json()
            .get(0);
    assertThat(mail.get("subject").asString()).isEqualTo("Your renewed Late Payment license");
    assertThat(mail.get("attachments").toString())
        .contains(renewed.get("id").asString() + ".license.toml");
    Api.Response after = checkIn(first.get("text").asString(), first.get("id").asString());
    assertThat(after.json().get("payment_failing").asBoolean()).isFalse();
    assertThat(after.json().get("license").asString()).isEqualTo(renewed.get("text").asString());
  }

  @Test
  void a_cancelled_subscription_runs_to_its_expiry_then_grace_then_lock() {
    Sub s = stripeSubscription("Cancelled Corp", "subscription");
    Instant start = whole(clock.instant());
    Instant end = start.plus(Duration.ofDays(30));
    assertThat(outcome(deliver(invoice("invoice.paid", eventId(), s, start, start, end))))
        .isEqualTo("APPLIED");

    at(start.plus(Duration.ofDays(10)));
    Instant now = whole(clock.instant());
    assertThat(
            outcome(
                deliver(
                    subscriptionEvent(
                        "customer.subscription.updated",
                        eventId(),
                        s,
                        now,
                        "price_basic",
                        1,
                        true,
                        "active",
                        end))))
        .isEqualTo("APPLIED");
    assertThat(subscriptionOf(s).get("auto_renew").asBoolean()).isFalse();
    assertThat(subscriptionOf(s).get("lifecycle_phase").asString()).isIn("ACTIVE", "EXPIRING");

    at(end);
    assertThat(
            outcome(
                deliver(
                    subscriptionEvent(
                        "customer.subscription.deleted",
                        eventId(),
                        s,
                        end,
                        "price_basic",
                        1,
                        true,
                        "canceled",
                        end))))
        .isEqualTo("STALE");
    assertThat(subscriptionOf(s).get("lifecycle_phase").asString()).isEqualTo("GRACE");
    JsonNode expired =
        admin()
            .get("/api/v1/mails?subscription_id=" + s.id() + "&recipient=ops@example.com")
            .json()
            .get(0);
    assertThat(expired.get("subject").asString()).contains("has expired");
    assertThat(expired.get("text_body").asString())
        .contains(
            "Renew or update your payment method: https://licenses.vendor.example/billing/portal/"
                + s.id()
                + "?sig=");
    at(end.plus(Duration.ofDays(7)).minusSeconds(1));
    assertThat(subscriptionOf(s).get("lifecycle_phase").asString()).isEqualTo("GRACE");
    at(end.plus(Duration.ofDays(7)));
    assertThat(subscriptionOf(s).get("lifecycle_phase").asString()).isEqualTo("LOCKED");
    assertThat(licenses(s).size()).isEqualTo(1);
  }

  @Test
  void a_deleted_subscription_turns_auto_renew_off() {
    Sub s = stripeSubscription("Deleted Corp", "subscription");
    Instant now = whole(clock.instant());
    assertThat(
            outcome(
                deliver(
                    subscriptionEvent(
                        "customer.subscription.deleted",
                        eventId(),
                        s,
                        now,
                        "price_basic",
                        1,
                        false,
                        "canceled",
                        now.plus(Duration.ofDays(5))))))
        .isEqualTo("APPLIED");
    assertThat(subscriptionOf(s).get("auto_renew").asBoolean()).isFalse();
    assertThat(events("subscription.cancelled", s)).isEqualTo(1);
  }

  @Test
  void an_upgrade_issues_a_license_at_once_and_a_downgrade_waits_for_the_next_period() {
    Sub s = stripeSubscription("Plan Changes", "subscription");
    Instant start = whole(clock.instant());
    Instant end = start.plus(Duration.ofDays(30));
    assertThat(outcome(deliver(invoice("invoice.paid", eventId(), s, start, start, end))))
        .isEqualTo("APPLIED");
    assertThat(newestLicense(s).get("tier").asString()).isEqualTo("medium");

    String onBasic =
        subscriptionEvent(
            "customer.subscription.updated",
            eventId(),
            s,
            start,
            "price_basic",
            1,
            false,
            "active",
            end);
    assertThat(outcome(deliver(onBasic))).isEqualTo("APPLIED");
    assertThat(licenses(s).size()).as("the first price is recorded, not a change").isEqualTo(1);

    at(start.plus(Duration.ofDays(1)));
    Instant t1 = whole(clock.instant());
    String upgrade =
        subscriptionEvent(
            "customer.subscription.updated",
            eventId(),
            s,
            t1,
            "price_pro",
            1,
            false,
            "active",
            end);
    assertThat(outcome(deliver(upgrade))).isEqualTo("APPLIED");
    JsonNode pro = newestLicense(s);
    assertThat(licenses(s).size()).isEqualTo(2);
    assertThat(pro.get("tier").asString()).isEqualTo("pro");
    assertThat(pro.get("seats").asLong()).isEqualTo(50);
    assertThat(pro.get("expires_at").asString()).isEqualTo(end.toString());

    // An update created before the upgrade arrives late: nothing changes.
    String older =
        subscriptionEvent(
            "customer.subscription.updated",
            eventId(),
            s,
            t1.minusSeconds(60),
            "price_basic",
            1,
            true,
            "active",
            end);
    assertThat(outcome(deliver(older))).isEqualTo("STALE");
    assertThat(subscriptionOf(s).get("auto_renew").asBoolean()).isTrue();

    at(start.plus(Duration.ofDays(2)));
    String downgrade =
        subscriptionEvent(
            "customer.subscription.updated",
            eventId(),
            s,
            whole(clock.instant()),
            "price_basic",
            1,
            false,
            "active",
            end);
    assertThat(outcome(deliver(downgrade))).isEqualTo("APPLIED");
    assertThat(subscriptionOf(s).get("tier").asString()).isEqualTo("pro");
    assertThat(licenses(s).size()).isEqualTo(2);

    at(end);
    Instant end2 = end.plus(Duration.ofDays(31));
    assertThat(outcome(deliver(invoice("invoice.paid", eventId(), s, end, end, end2))))
        .isEqualTo("APPLIED");
    JsonNode basic = newestLicense(s);
    assertThat(basic.get("tier").asString()).isEqualTo("basic");
    assertThat(basic.get("seats").asLong()).isEqualTo(10);
    assertThat(basic.get("expires_at").asString()).isEqualTo(end2.toString());
  }

  // ---- billing portal

  @Test
  void the_billing_portal_session_is_created_through_stripe_s_api() {
    Sub s = stripeSubscription("Portal Corp", "subscription");
    int before = STRIPE_API.portalCalls().size();
    Api.Response r =
        staff(Role.SALES).post("/api/v1/subscriptions/" + s.id() + "/billing-portal", Map.of());
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.field("url")).isEqualTo("https://billing.example/p/session/" + s.customer());
    FakeStripeApi.Call call = STRIPE_API.portalCalls().get(before);
    assertThat(call.method()).isEqualTo("POST");
    assertThat(call.authorization()).isEqualTo("Bearer sk_test_keyturn");
    assertThat(call.form())
        .containsEntry("customer", s.customer())
        .containsEntry("return_url", "https://vendor.example/account");

    Map<String, Object> body = subscription("No Stripe");
    String plain = admin().post("/api/v1/subscriptions", body).field("id");
    Api.Response none =
        staff(Role.SALES).post("/api/v1/subscriptions/" + plain + "/billing-portal", Map.of());
    assertThat(none.status()).isEqualTo(409);
    assertThat(
            staff(Role.READONLY)
                .post("/api/v1/subscriptions/" + s.id() + "/billing-portal", Map.of())
                .status())
        .isEqualTo(403);
  }

  @Test
  void a_portal_link_works_for_45_days_and_then_says_it_expired() {
    Sub s = stripeSubscription("Link Expiry", "subscription");
    String path = links.url(s.id()).replace("https://licenses.vendor.example", "");
    assertThat(path).contains("&exp=");
    assertThat(anonymous().get(path).status()).isEqualTo(303);

    testClock().advance(PortalLinks.LIFETIME);

    Api.Response expired = anonymous().get(path);
    assertThat(expired.status()).isEqualTo(404);
    assertThat(expired.body()).contains("may have expired");
  }

  @Test
  void a_portal_link_that_cannot_open_a_session_answers_a_page_saying_why() {
    Sub s = stripeSubscription("Link Problems", "subscription");
    String path = links.url(s.id()).replace("https://licenses.vendor.example", "");
    String otherSubscription =
        links.url(stripeSubscription("Other Link", "subscription").id()).replaceAll(".*\\?", "?");
    int stripeCalls = STRIPE_API.calls.size();

    Api.Response wrongSubscription =
        anonymous().get("/billing/portal/" + s.id() + otherSubscription);
    assertThat(wrongSubscription.status()).isEqualTo(404);
    assertThat(wrongSubscription.body()).contains("This billing link is not valid");
    Api.Response unsigned = anonymous().get("/billing/portal/" + s.id());
    assertThat(unsigned.status()).isEqualTo(404);
    // A link stretched past its expiry by hand fails its signature; a real one expires.
    Api.Response stretched =
        anonymous().get(path.replaceAll("exp=\\d+", "exp=" + Long.MAX_VALUE / 2));
    assertThat(stretched.status()).isEqualTo(404);

    // Staff removed the Stripe customer after the mail went out.
    Api.Response patched =
        admin()
            .patch(
                "/api/v1/subscriptions/" + s.id(),
                java.util.Collections.singletonMap("stripe_customer_id", null));
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    Api.Response noCustomer = anonymous().get(path);
    assertThat(noCustomer.status()).isEqualTo(409);
    assertThat(noCustomer.contentType()).startsWith("text/html");
    assertThat(noCustomer.body()).contains("No online billing for this subscription");
    assertThat(STRIPE_API.calls).hasSize(stripeCalls);

    // Stripe refuses: a page that says to try again, not a 500.
    Api.Response fixed =
        admin()
            .patch(
                "/api/v1/subscriptions/" + s.id(),
                Map.of("stripe_customer_id", FakeStripeApi.REFUSED_CUSTOMER));
    assertThat(fixed.status()).as(fixed.toString()).isEqualTo(200);
    Api.Response refused = anonymous().get(path);
    assertThat(refused.status()).isEqualTo(502);
    assertThat(refused.body()).contains("try again in a few minutes");
  }

  // ---- retention of payloads

  private String payload(String eventId) {
    return jdbc.sql("select payload from stripe_events where id = ?")
        .param(eventId)
        .query((rs, n) -> rs.getString("payload"))
        .list()
        .get(0); // single() refuses a null value
  }

  @Test
  void a_daily_task_drops_processed_payloads_after_90_days_and_keeps_ids_and_unmatched_ones() {
    RecurringTask<?> task =
        recurringTasks.stream()
            .filter(t -> t.getName().equals(StripePayloadRetention.TASK))
            .findFirst()
            .orElseThrow();
    SettableClock schedulerClock = new SettableClock();
    schedulerClock.set(whole(clock.instant()));
    ManualScheduler scheduler =
        TestHelper.createManualScheduler(dataSource)
            .clock(schedulerClock)
            .startTasks(List.of(task))
            .build();
    try {
      // Day 0: a processed event, an event for an unknown customer; the task starts.
      Sub s = stripeSubscription("Retention Corp", "subscription");
      Instant day0 = whole(clock.instant());
      String paidId = eventId();
      String paid = invoice("invoice.paid", paidId, s, day0, day0, day0.plus(Duration.ofDays(30)));
      assertThat(outcome(deliver(paid))).isEqualTo("APPLIED");
      Sub unknown = new Sub("none", "cus_Retention" + SEQ.incrementAndGet(), "sub_Retention");
      String unmatchedId = eventId();
      String unmatched =
          invoice("invoice.paid", unmatchedId, unknown, day0, day0, day0.plus(Duration.ofDays(30)));
      assertThat(outcome(deliver(unmatched))).isEqualTo("UNMATCHED");
      scheduler.start();
      scheduler.runAnyDueExecutions();
      assertThat(payload(paidId)).isEqualTo(paid);

      // Day 89: the daily run keeps payloads younger than 90 days.
      dayOnBothClocks(day0.plus(Duration.ofDays(89)), schedulerClock, scheduler);
      assertThat(payload(paidId)).isEqualTo(paid);

      // Day 90: the processed payload goes; the unmatched one waits for its follow-up.
      Instant day90 = day0.plus(Duration.ofDays(90)).plusSeconds(60);
      dayOnBothClocks(day90, schedulerClock, scheduler);
      assertThat(payload(paidId)).isNull();
      assertThat(payload(unmatchedId)).isEqualTo(unmatched);
      assertThat(
              jdbc.sql("select payload_dropped_at from stripe_events where id = ?")
                  .param(paidId)
                  .query((rs, n) -> dev.keyturn.server.jdbc.Db.instant(rs, "payload_dropped_at"))
                  .single())
          .isBetween(day90, clock.instant());
      assertThat(
              scheduler
                  .getScheduledExecution(
                      TaskInstanceId.of(StripePayloadRetention.TASK, RecurringTask.INSTANCE))
                  .orElseThrow()
                  .getExecutionTime())
          .as("the next run, a day later")
          .isEqualTo(schedulerClock.now().plus(Duration.ofDays(1)));

      // The id stays: Stripe redelivering the old event changes nothing.
      assertThat(outcome(deliver(paid))).isEqualTo("DUPLICATE");
      assertThat(licenses(s).size()).isEqualTo(1);
    } finally {
      scheduler.stop();
      jdbc.sql("delete from scheduled_tasks where task_name = ?")
          .param(StripePayloadRetention.TASK)
          .update();
    }
  }

  private void dayOnBothClocks(Instant at, SettableClock schedulerClock, ManualScheduler s) {
    at(at);
    schedulerClock.set(whole(clock.instant()));
    s.runAnyDueExecutions();
  }

  // ---- renewal requests

  @Test
  void the_renew_button_opens_a_renewal_request_in_the_sales_queue() {
    Sub s = stripeSubscription("Renew Button", "appliance");
    Api.Response license =
        admin().post("/api/v1/subscriptions/" + s.id() + "/licenses", Map.of("duration", "P30D"));
    assertThat(license.status()).as(license.toString()).isEqualTo(201);
    Api product = anonymous().as(Api.bearer(licenseToken(license.field("text"))));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("license_id", license.field("id"));
    body.put("subscription_id", s.id());
    body.put("customer", "Renew Button");
    body.put("tier", "medium");
    body.put("expires_at", license.field("expires_at"));
    body.put("instance_domain", "tools.renew-button.example");
    body.put("instance_id", "inst-7");
    body.put("contact_name", "Ada Admin");
    body.put("contact_email", "Ada@Example.com");
    body.put("message", "Please renew for another year.");

    Api.Response created = product.post("/api/v1/renewal-requests", body);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.field("message")).isNotBlank();
    Api.Response again = product.post("/api/v1/renewal-requests", body);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.field("id")).isEqualTo(created.field("id"));

    JsonNode queue =
        staff(Role.SALES)
            .get("/api/v1/renewal-requests?state=open&subscription_id=" + s.id())
            .json();
    assertThat(queue.size()).isEqualTo(1);
    JsonNode q = queue.get(0);
    assertThat(q.get("source").asString()).isEqualTo("CUSTOMER");
    assertThat(q.get("tier").asString()).isEqualTo("medium");
    assertThat(q.get("expires_at").asString()).isEqualTo(license.field("expires_at"));
    assertThat(q.get("note").asString()).isEqualTo("Please renew for another year.");
    assertThat(q.get("details").get("contact_email").asString()).isEqualTo("ada@example.com");
    assertThat(q.get("details").get("crm_account_id").asString()).isEqualTo("crm-renew-button");
    assertThat(events("renewal.requested", s)).isEqualTo(1);

    assertThat(
            staff(Role.READONLY)
                .post("/api/v1/renewal-requests/" + q.get("id").asString() + "/close", Map.of())
                .status())
        .isEqualTo(403);
    Api.Response closed =
        staff(Role.SALES)
            .post("/api/v1/renewal-requests/" + q.get("id").asString() + "/close", Map.of());
    assertThat(closed.status()).as(closed.toString()).isEqualTo(200);
    assertThat(
            staff(Role.SALES)
                .post("/api/v1/renewal-requests/" + q.get("id").asString() + "/close", Map.of())
                .status())
        .isEqualTo(409);
    assertThat(
            staff(Role.SALES)
                .get("/api/v1/renewal-requests?state=open&subscription_id=" + s.id())
                .json()
                .size())
        .isZero();

    Api.Response unknown =
        anonymous()
            .as(Api.bearer("kt_lic_" + "0".repeat(64)))
            .post("/api/v1/renewal-requests", body);
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.json().get("detail").asString()).contains("kt_lic_");
    assertThat(anonymous().post("/api/v1/renewal-requests", body).status()).isEqualTo(401);

    Api.Response byStaff =
        staff(Role.SUPPORT)
            .post(
                "/api/v1/renewal-requests",
                Map.of("subscription_id", s.id(), "message", "called us"));
    assertThat(byStaff.status()).as(byStaff.toString()).isEqualTo(201);
  }
}
