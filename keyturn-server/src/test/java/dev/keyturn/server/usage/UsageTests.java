package dev.keyturn.server.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.clock.TestClock;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.ServerTest;
import dev.keyturn.server.usage.internal.RawReportRetention;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Issue 18 as dated scenarios on the server's test clock: the usage history, the crossing alerts,
 * multi-node installations and the true-up report. Days are UTC days whatever the JVM's zone (the
 * tests run in America/Sao_Paulo).
 */
abstract class UsageTests extends ServerTest {
  private static final String ACCOUNT_TEAM = "account-team@vendor.example";

  @Autowired RawReportRetention retention;

  private TestClock testClock() {
    return (TestClock) clock;
  }

  private Api client(String licenseText) {
    return anonymous().as(Api.bearer(licenseToken(licenseText)));
  }

  private static Map<String, Object> report(
      String licenseId, String instanceId, String node, Map<String, Long> usage) {
    Map<String, Object> body = new HashMap<>();
    body.put("license_id", licenseId);
    body.put("instance_id", instanceId);
    if (node != null) {
      body.put("node", node);
    }
    body.put("usage", usage);
    body.put("client_version", "0.1.0");
    return body;
  }

  private Api.Response checkIn(Api.Response license, String instance, String node, long users) {
    Api.Response r =
        client(license.field("text"))
            .post(
                "/api/v1/check-in",
                report(license.field("id"), instance, node, Map.of("users", users)));
    return r;
  }

  private void ok(Api.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  /** Moves the clock forward to the next instant at that UTC time of day. */
  private Instant atNextUtc(int hour, int minute) {
    Instant now = clock.instant();
    Instant target =
        now.atZone(ZoneOffset.UTC)
            .truncatedTo(ChronoUnit.DAYS)
            .withHour(hour)
            .withMinute(minute)
            .toInstant();
    while (!target.isAfter(now)) {
      target = target.plus(Duration.ofDays(1));
    }
    testClock().set(target);
    return target;
  }

  private static LocalDate utcDay(Instant at) {
    return LocalDate.ofInstant(at, ZoneOffset.UTC);
  }

  private JsonNode usage(String sub, LocalDate from, LocalDate to) {
    Api.Response r =
        as(Role.READONLY).get("/api/v1/subscriptions/" + sub + "/usage?from=" + from + "&to=" + to);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  @Test
  void daily_maxima_are_kept_per_utc_day_and_served_as_json_and_csv() throws Exception {
    String sub = createSubscription("Usage History Corp");
    Api.Response license = issued(sub, "P365D");
    // Day 1, 23:30 UTC: 12, then 15, then 13 users. In São Paulo this is still the same evening as
    // the next check-in; the history counts UTC days.
    Instant first = atNextUtc(23, 30);
    ok(checkIn(license, "inst-1", null, 12));
    testClock().set(first.plus(Duration.ofMinutes(5)));
    ok(checkIn(license, "inst-1", null, 15));
    testClock().set(first.plus(Duration.ofMinutes(10)));
    ok(checkIn(license, "inst-1", null, 13));
    // Day 2, 00:30 UTC: 11.
    testClock().set(first.plus(Duration.ofHours(1)));
    ok(checkIn(license, "inst-1", null, 11));

    LocalDate day1 = utcDay(first);
    JsonNode body = usage(sub, day1.minusDays(3), day1.plusDays(3));
    assertThat(body.get("from").asString()).isEqualTo(day1.minusDays(3).toString());
    JsonNode days = body.get("days");
    assertThat(days).hasSize(2);
    assertThat(days.get(0).get("day").asString()).isEqualTo(day1.toString());
    assertThat(days.get(0).get("usage").get("users").asLong()).isEqualTo(15);
    assertThat(days.get(1).get("day").asString()).isEqualTo(day1.plusDays(1).toString());
    assertThat(days.get(1).get("usage").get("users").asLong()).isEqualTo(11);

    Api.Response csv =
        as(Role.READONLY)
            .get(
                "/api/v1/subscriptions/"
                    + sub
                    + "/usage?format=csv&from="
                    + day1
                    + "&to="
                    + day1.plusDays(1));
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.contentType()).startsWith("text/csv");
    assertThat(csv.body())
        .isEqualTo(
            "day,limit,max\r\n" + day1 + ",users,15\r\n" + day1.plusDays(1) + ",users,11\r\n");

    // Accept: text/csv asks for the same.
    java.net.http.HttpResponse<String> accepted =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            "http://localhost:"
                                + port
                                + "/api/v1/subscriptions/"
                                + sub
                                + "/usage?from="
                                + day1
                                + "&to="
                                + day1.plusDays(1)))
                    .header("Authorization", Api.basic("admin", ADMIN_PASSWORD))
                    .header("Accept", "text/csv")
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(accepted.statusCode()).isEqualTo(200);
    assertThat(accepted.body()).isEqualTo(csv.body());

    // Only the period asked for; a day outside it shows nothing.
    assertThat(usage(sub, day1.plusDays(2), day1.plusDays(3)).get("days")).isEmpty();
  }

  @Test
  void raw_reports_are_purged_after_the_retention_and_the_daily_maxima_stay() {
    String sub = createSubscription("Retention Corp");
    Api.Response license = issued(sub, "P365D");
    Instant at = clock.instant();
    ok(checkIn(license, "inst-r", "node-a", 40));
    assertThat(installations(sub).get(0).get("nodes")).hasSize(1);

    // Day 89: still there. Day 91: purged by the daily task, the day's maximum kept.
    testClock().set(at.plus(Duration.ofDays(89)));
    retention.run();
    assertThat(installations(sub).get(0).get("nodes")).hasSize(1);
    testClock().set(at.plus(Duration.ofDays(91)));
    assertThat(retention.run()).isGreaterThanOrEqualTo(1);
    JsonNode installations = installations(sub);
    assertThat(installations).hasSize(1);
    assertThat(installations.get(0).get("bound").asBoolean()).isTrue();
    assertThat(installations.get(0).get("nodes")).isEmpty();
    JsonNode days = usage(sub, utcDay(at), utcDay(at)).get("days");
    assertThat(days).hasSize(1);
    assertThat(days.get(0).get("usage").get("users").asLong()).isEqualTo(40);
  }

  private JsonNode installations(String sub) {
    Api.Response r = as(Role.READONLY).get("/api/v1/subscriptions/" + sub + "/installations");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  @Test
  void nodes_of_one_installation_share_it_and_another_installation_conflicts() {
    String sub = createSubscription("Cluster Corp");
    Api.Response license = issued(sub, "P365D");
    ok(checkIn(license, "cluster-1", "node-a", 20));
    testClock().set(clock.instant().plus(Duration.ofMinutes(1)));
    ok(checkIn(license, "cluster-1", "node-b.eu-west:2", 21));
    Api.Response other = checkIn(license, "cluster-2", "node-a", 5);
    assertThat(other.status()).isEqualTo(409);
    assertThat(other.code()).isEqualTo("instance.conflict");

    JsonNode installations = installations(sub);
    assertThat(installations).hasSize(1);
    JsonNode cluster = installations.get(0);
    assertThat(cluster.get("id").asString()).isEqualTo("cluster-1");
    assertThat(cluster.get("bound").asBoolean()).isTrue();
    assertThat(cluster.get("node_count").asInt()).isEqualTo(2);
    assertThat(cluster.get("nodes").get(0).get("name").asString()).isEqualTo("node-a");
    assertThat(cluster.get("nodes").get(1).get("name").asString()).isEqualTo("node-b.eu-west:2");
    // node-b checked in a minute after node-a (the test clock runs on from where it was set).
    assertThat(
            Duration.between(
                Instant.parse(cluster.get("nodes").get(0).get("last_seen").asString()),
                Instant.parse(cluster.get("nodes").get(1).get("last_seen").asString())))
        .isGreaterThanOrEqualTo(Duration.ofMinutes(1))
        .isLessThan(Duration.ofMinutes(2));

    // Released by staff (audited), the other installation binds it.
    Api.Response released =
        as(Role.SUPPORT)
            .post(
                "/api/v1/subscriptions/" + sub + "/release-instance",
                Map.of("reason", "cluster replaced"));
    assertThat(released.status()).as(released.toString()).isEqualTo(200);
    ok(checkIn(license, "cluster-2", "node-a", 5));
    assertThat(admin().get("/api/v1/subscriptions/" + sub).field("bound_instance_id"))
        .isEqualTo("cluster-2");
  }

  @Test
  void a_bad_node_or_usage_is_refused_and_nothing_is_kept() {
    String sub = createSubscription("Bad Node Corp");
    Api.Response license = issued(sub, "P365D");
    for (String node : List.of("a b", "x".repeat(129), "", "n/1")) {
      Api.Response r =
          client(license.field("text"))
              .post(
                  "/api/v1/check-in",
                  report(license.field("id"), "inst-1", node, Map.of("users", 3L)));
      assertThat(r.status()).as(node).isEqualTo(400);
      assertThat(r.code()).isEqualTo("validation.failed");
      assertThat(r.body()).contains("node");
    }
    for (long value : List.of(-1L, 1_000_000_000_001L)) {
      Api.Response r =
          client(license.field("text"))
              .post(
                  "/api/v1/check-in",
                  report(license.field("id"), "inst-1", null, Map.of("users", value)));
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body()).contains("usage.users");
    }
    assertThat(installations(sub)).isEmpty();
    LocalDate today = utcDay(clock.instant());
    assertThat(usage(sub, today.minusDays(1), today).get("days")).isEmpty();
  }

  @Test
  void a_bad_period_is_refused_and_an_unknown_subscription_is_not_found() {
    String sub = createSubscription("Period Corp");
    Api api = as(Role.READONLY);
    for (String query :
        List.of(
            "from=yesterday",
            "to=2026-13-01",
            "from=2026-02-01&to=2026-01-01",
            "from=2000-01-01&to=2026-01-01")) {
      Api.Response r = api.get("/api/v1/subscriptions/" + sub + "/usage?" + query);
      assertThat(r.status()).as(query).isEqualTo(400);
      assertThat(r.code()).isEqualTo("validation.failed");
    }
    assertThat(api.get("/api/v1/subscriptions/sub_nope/usage").status()).isEqualTo(404);
    assertThat(api.get("/api/v1/subscriptions/sub_nope/installations").status()).isEqualTo(404);
    assertThat(api.get("/api/v1/subscriptions/sub_nope/true-up").status()).isEqualTo(404);
    assertThat(anonymous().get("/api/v1/subscriptions/" + sub + "/usage").status()).isEqualTo(401);
  }

  private Api.Response webhookEndpoint() {
    Api.Response r =
        admin()
            .post(
                "/api/v1/webhook-endpoints",
                Map.of(
                    "url",
                    "http://127.0.0.1:9/usage-hook",
                    "secret",
                    "whsec_usage_test_secret",
                    "event_types",
                    List.of("usage.over_limit", "usage.over_allowance")));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r;
  }

  /** The outbox rows of this subscription: (kind, event type, target or endpoint). */
  private List<String> deliveries(String sub, String endpointId) {
    List<String> rows = new ArrayList<>();
    for (JsonNode d :
        admin().get("/api/v1/deliveries?subscription_id=" + sub + "&limit=200").json()) {
      String type = d.get("event_type").asString();
      if (!type.startsWith("usage.")) {
        continue;
      }
      if (d.get("kind").asString().equals("WEBHOOK")) {
        if (endpointId.equals(d.path("endpoint_id").asString(""))) {
          rows.add("WEBHOOK " + type);
        }
      } else {
        rows.add("MAIL " + type + " " + d.get("target").asString());
      }
    }
    rows.sort(String::compareTo);
    return rows;
  }

  @Test
  void crossing_the_limit_alerts_the_account_team_and_webhooks_once_also_concurrently()
      throws Exception {
    String endpoint = webhookEndpoint().field("id");
    try {
      String sub = createSubscription("Over Limit Corp"); // users = 250
      Api.Response license = issued(sub, "P365D");
      ok(checkIn(license, "inst-1", null, 250)); // at the limit: nothing
      assertThat(deliveries(sub, endpoint)).isEmpty();

      // 24 check-ins at once above the limit: one alert of each kind, however they race.
      List<Callable<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        long users = 251 + i;
        String node = "node-" + i;
        calls.add(() -> checkIn(license, "inst-1", node, users).status());
      }
      ExecutorService pool = Executors.newFixedThreadPool(12);
      try {
        for (Future<Integer> status : pool.invokeAll(calls, 60, TimeUnit.SECONDS)) {
          assertThat(status.get()).isEqualTo(200);
        }
      } finally {
        pool.shutdownNow();
      }
      testClock().set(clock.instant().plus(Duration.ofDays(3)));
      ok(checkIn(license, "inst-1", null, 400));

      // The license grants no allowance, so above the limit is above the allowance too.
      assertThat(deliveries(sub, endpoint))
          .containsExactly(
              "MAIL usage.over_allowance " + ACCOUNT_TEAM,
              "MAIL usage.over_limit " + ACCOUNT_TEAM,
              "WEBHOOK usage.over_allowance",
              "WEBHOOK usage.over_limit");
      JsonNode events =
          admin().get("/api/v1/events?type=usage.over_limit&subscription_id=" + sub).json();
      assertThat(events).hasSize(1);
      assertThat(events.get(0).get("license_id").asString()).isEqualTo(license.field("id"));
      assertThat(events.get(0).get("metadata").get("limit").asString()).isEqualTo("users");
      assertThat(events.get(0).get("metadata").get("licensed").asLong()).isEqualTo(250);
      assertThat(events.get(0).get("metadata").get("value").asLong()).isGreaterThan(250);

      // A new license is a new term: crossing its limit alerts again.
      Api.Response renewed = issued(sub, "P730D");
      ok(checkIn(renewed, "inst-1", null, 300));
      assertThat(admin().get("/api/v1/events?type=usage.over_limit&subscription_id=" + sub).json())
          .hasSize(2);
    } finally {
      admin().post("/api/v1/webhook-endpoints/" + endpoint + "/disable", Map.of());
    }
  }

  /** Whether the subscription's usage history has exactly one check-in of that node. */
  private boolean storedOnce(String sub, String node) {
    for (JsonNode installation : installations(sub)) {
      for (JsonNode n : installation.get("nodes")) {
        if (node.equals(n.path("name").asString(null))) {
          return n.get("check_ins").asLong() == 1;
        }
      }
    }
    return false;
  }

  @Test
  void
      concurrent_check_ins_are_each_stored_before_their_answer_with_the_days_maximum_and_one_alert()
          throws Exception {
    String sub = createSubscription("Group Commit Corp"); // users = 250
    Api.Response license = issued(sub, "P365D");
    ok(checkIn(license, "inst-g", null, 1)); // binds the installation
    Instant at = clock.instant();

    // Check-ins at once write together (group commit); each must be stored when it is answered.
    int count = 48;
    List<Callable<String>> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String node = "node-" + i;
      long users = 230 + i; // from node-20 on above the limit
      calls.add(
          () -> {
            Api.Response r = checkIn(license, "inst-g", node, users);
            if (r.status() != 200) {
              return node + ": " + r;
            }
            return storedOnce(sub, node) ? "stored" : node + " answered but not stored";
          });
    }
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      for (Future<String> outcome : pool.invokeAll(calls, 60, TimeUnit.SECONDS)) {
        assertThat(outcome.get()).isEqualTo("stored");
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(installations(sub).get(0).get("nodes")).hasSize(count + 1);
    JsonNode days = usage(sub, utcDay(at), utcDay(clock.instant())).get("days");
    assertThat(days).hasSize(1);
    assertThat(days.get(0).get("usage").get("users").asLong()).isEqualTo(230 + count - 1);
    assertThat(admin().get("/api/v1/events?type=usage.over_limit&subscription_id=" + sub).json())
        .hasSize(1);
    assertThat(
            admin().get("/api/v1/events?type=usage.over_allowance&subscription_id=" + sub).json())
        .hasSize(1);
    // The subscription shows one of them as its last check-in.
    JsonNode last = admin().get("/api/v1/subscriptions/" + sub).json().get("last_check_in");
    assertThat(last.get("node").asString()).startsWith("node-");
    assertThat(last.get("usage").get("users").asLong()).isBetween(230L, 230L + count - 1);
  }

  @Test
  void a_check_in_that_cannot_be_stored_fails_alone_and_the_concurrent_ones_are_stored()
      throws Exception {
    String sub = createSubscription("Bad Write Corp");
    Api.Response license = issued(sub, "P365D");
    ok(checkIn(license, "inst-b", null, 1));
    // Valid, but its usage as JSON is longer than a raw report's column: the insert fails.
    Map<String, Long> tooLong = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      tooLong.put(("limit-" + i + "-").repeat(10).substring(0, 64), 1_000_000_000_000L);
    }
    List<Callable<String>> calls = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      String node = "node-" + i;
      if (i == 12) {
        calls.add(
            () ->
                node
                    + " "
                    + client(license.field("text"))
                        .post(
                            "/api/v1/check-in",
                            report(license.field("id"), "inst-b", node, tooLong))
                        .status());
      } else {
        calls.add(
            () -> {
              Api.Response r = checkIn(license, "inst-b", node, 10);
              return node + " " + r.status() + " " + storedOnce(sub, node);
            });
      }
    }
    List<String> outcomes = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try {
      for (Future<String> outcome : pool.invokeAll(calls, 60, TimeUnit.SECONDS)) {
        outcomes.add(outcome.get());
      }
    } finally {
      pool.shutdownNow();
    }
    for (int i = 0; i < 24; i++) {
      // As when it was written alone: a 500, and nothing of it stored.
      assertThat(outcomes.get(i)).isEqualTo(i == 12 ? "node-12 500" : "node-" + i + " 200 true");
    }
    assertThat(storedOnce(sub, "node-12")).isFalse();
  }

  @Test
  void the_true_up_report_sums_the_units_above_the_licensed_count_per_month() {
    String sub = createSubscription("True Up Corp"); // users = 250, seats = 250
    Api.Response license = issued(sub, "P365D");
    // Three check-ins 31 days apart land in three different calendar months.
    long[] users = {260, 240, 270};
    List<String> months = new ArrayList<>();
    for (long u : users) {
      Api.Response r =
          client(license.field("text"))
              .post(
                  "/api/v1/check-in",
                  report(license.field("id"), "inst-1", null, Map.of("users", u, "seats", u - 20)));
      ok(r);
      months.add(utcDay(clock.instant()).toString().substring(0, 7));
      testClock().set(clock.instant().plus(Duration.ofDays(31)));
    }

    Api.Response r = as(Role.SALES).get("/api/v1/subscriptions/" + sub + "/true-up");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonNode report = r.json();
    assertThat(report.get("license_id").asString()).isEqualTo(license.field("id"));
    JsonNode seats = report.get("limits").get(0);
    JsonNode usersLine = report.get("limits").get(1);
    assertThat(seats.get("limit").asString()).isEqualTo("seats");
    assertThat(seats.get("licensed").asLong()).isEqualTo(250);
    assertThat(seats.get("peak").asLong()).isEqualTo(250);
    assertThat(seats.get("unit_months_above").asLong()).isZero();
    assertThat(usersLine.get("limit").asString()).isEqualTo("users");
    assertThat(usersLine.get("peak").asLong()).isEqualTo(270);
    assertThat(usersLine.get("months_above").asInt()).isEqualTo(2);
    assertThat(usersLine.get("unit_months_above").asLong()).isEqualTo(10 + 20);
    Map<String, Long> byMonth = new HashMap<>();
    for (JsonNode m : usersLine.get("months")) {
      if (!m.get("max").isNull()) {
        byMonth.put(m.get("month").asString(), m.get("max").asLong());
      }
    }
    assertThat(byMonth)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(months.get(0), 260L, months.get(1), 240L, months.get(2), 270L));

    Api.Response csv =
        admin()
            .get(
                "/api/v1/subscriptions/"
                    + sub
                    + "/true-up?format=csv&license_id="
                    + license.field("id"));
    assertThat(csv.status()).as(csv.toString()).isEqualTo(200);
    assertThat(csv.contentType()).startsWith("text/csv");
    assertThat(csv.body())
        .startsWith("limit,licensed,month,max,above_licensed\r\n")
        .contains("users,250," + months.get(0) + ",260,10\r\n")
        .contains("users,250," + months.get(1) + ",240,0\r\n")
        .contains("users,250,peak,270,20\r\n")
        .contains("users,250,total,,30\r\n");

    // A license of another subscription is not found here.
    String other = createSubscription("Other True Up Corp");
    Api.Response foreign = issued(other, "P30D");
    assertThat(
            as(Role.SALES)
                .get("/api/v1/subscriptions/" + sub + "/true-up?license_id=" + foreign.field("id"))
                .status())
        .isEqualTo(404);
  }

  @Test
  void the_subscriptions_overage_allowance_is_signed_into_its_licenses_and_alerted_apart() {
    String sub = createSubscription("Overage Corp"); // users = 250, seats = 250
    String path = "/api/v1/subscriptions/" + sub + "/overage-percent";
    for (Map<String, Object> bad :
        List.<Map<String, Object>>of(
            Map.of("devices", 10), Map.of("users", 1001), Map.of("users", -1))) {
      Api.Response r = as(Role.SALES).send("PUT", path, bad);
      assertThat(r.status()).as(bad.toString()).isEqualTo(400);
      assertThat(r.code()).isEqualTo("validation.failed");
    }
    assertThat(as(Role.SUPPORT).send("PUT", path, Map.of("users", 10)).status()).isEqualTo(403);
    assertThat(admin().get("/api/v1/subscriptions/" + sub).json().get("overage_percent")).isEmpty();

    Api.Response set = as(Role.SALES).send("PUT", path, Map.of("users", 10));
    assertThat(set.status()).as(set.toString()).isEqualTo(200);
    assertThat(set.json().get("overage_percent").get("users").asInt()).isEqualTo(10);
    assertThat(
            admin()
                .get("/api/v1/events?type=subscription.overage_changed&subscription_id=" + sub)
                .json())
        .hasSize(1);

    Api.Response license = issued(sub, "P365D");
    assertThat(license.field("text")).contains("[license.overage_percent]").contains("users = 10");
    assertThat(
            new dev.keyturn.core.license.LicenseReader()
                .read(license.field("text"))
                .license()
                .overagePercent("users"))
        .isEqualTo(10);

    // 270 of 250 is over the limit, within the allowance (275); 276 is over the allowance.
    ok(checkIn(license, "inst-o", null, 270));
    assertThat(admin().get("/api/v1/events?type=usage.over_limit&subscription_id=" + sub).json())
        .hasSize(1);
    assertThat(
            admin().get("/api/v1/events?type=usage.over_allowance&subscription_id=" + sub).json())
        .isEmpty();
    testClock().set(clock.instant().plus(Duration.ofHours(12)));
    ok(checkIn(license, "inst-o", null, 276));
    JsonNode overAllowance =
        admin().get("/api/v1/events?type=usage.over_allowance&subscription_id=" + sub).json();
    assertThat(overAllowance).hasSize(1);
    assertThat(overAllowance.get(0).get("metadata").get("allowance").asLong()).isEqualTo(275);
  }
}
