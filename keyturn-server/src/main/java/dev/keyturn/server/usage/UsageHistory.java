package dev.keyturn.server.usage;

import dev.keyturn.server.license.Licenses;
import dev.keyturn.server.subscription.Subscriptions;
import dev.keyturn.server.usage.internal.UsageAlerts;
import dev.keyturn.server.usage.internal.UsageStore;
import dev.keyturn.server.web.KeyturnServerException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The usage history of issue 18: every check-in's raw report (kept for {@code
 * keyturn.usage.raw-retention}) and each day's maxima (kept for good), the installations and nodes
 * a subscription runs, and the alerts when usage crosses what the license grants.
 */
@Component
public class UsageHistory {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(UsageHistory.class);

  private final UsageStore store;
  private final UsageAlerts alerts;
  private final Subscriptions subscriptions;
  private final Licenses licenses;
  private final JsonMapper json;
  private final Clock clock;

  UsageHistory(
      UsageStore store,
      UsageAlerts alerts,
      Subscriptions subscriptions,
      Licenses licenses,
      JsonMapper json,
      Clock clock) {
    this.store = store;
    this.alerts = alerts;
    this.subscriptions = subscriptions;
    this.licenses = licenses;
    this.json = json;
    this.clock = clock;
  }

  /**
   * Keeps check-ins' reports (the raw rows and the daily maxima) in the caller's transaction, as a
   * few multi-row statements however many check-ins: the check-in writer commits a group of
   * check-ins at once. Call {@link #alertOn} for each report once this is committed.
   */
  public void store(List<CheckInUsage> reports) {
    List<String> usageJson = new ArrayList<>(reports.size());
    for (CheckInUsage report : reports) {
      usageJson.add(json.writeValueAsString(report.usage()));
    }
    store.recordAll(reports, usageJson);
  }

  /**
   * Alerts a stored report's crossings of what the license grants, each the first time only: its
   * own transaction per alert, and nothing at all while usage stays within the limits.
   */
  public void alertOn(CheckInUsage report) {
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("installation_id", report.installationId());
    if (report.node() != null) {
      context.put("node", report.node());
    }
    try {
      alerts.check(
          report.subscriptionId(),
          report.licenseId(),
          report.usage(),
          "instance:" + report.installationId(),
          context,
          report.at());
    } catch (RuntimeException e) {
      // The check-in still answers: an alert that failed is not marked sent, so the next
      // check-in that still shows the crossing claims it again.
      log.warn(
          "usage alert for license {} not recorded; the next check-in tries again",
          report.licenseId(),
          e);
    }
  }

  /**
   * Each UTC day's highest value per limit in [from, to], over the subscription's installations.
   *
   * @throws KeyturnServerException not found for an unknown subscription
   */
  public List<UsageDay> days(String subscriptionId, LocalDate from, LocalDate to) {
    requireSubscription(subscriptionId);
    return store.days(subscriptionId, from, to.plusDays(1));
  }

  /**
   * The subscription's installations: the one bound now (even without a retained report), then
   * every one with a retained raw report, each with its nodes and when they were last seen.
   */
  public List<Installation> installations(String subscriptionId) {
    String bound = requireSubscription(subscriptionId);
    Map<String, List<Installation.Node>> nodes = new LinkedHashMap<>();
    if (bound != null) {
      nodes.put(bound, new ArrayList<>());
    }
    for (UsageStore.NodeRow row : store.nodes(subscriptionId)) {
      nodes
          .computeIfAbsent(row.installationId(), k -> new ArrayList<>())
          .add(new Installation.Node(row.node(), row.firstSeen(), row.lastSeen(), row.checkIns()));
    }
    List<Installation> all = new ArrayList<>();
    nodes.forEach(
        (id, its) ->
            all.add(
                new Installation(
                    id,
                    id.equals(bound),
                    its.stream()
                        .map(Installation.Node::lastSeen)
                        .filter(Objects::nonNull)
                        .max(Instant::compareTo)
                        .orElse(null),
                    its.size(),
                    List.copyOf(its))));
    return all;
  }

  /** The days of [from, to] as a chart, against what the subscription's current license grants. */
  public UsageChart chart(String subscriptionId, LocalDate from, LocalDate to) {
    UsageLimits granted =
        licenses
            .newestUsable(subscriptionId, clock.instant())
            .map(l -> alerts.limitsOf(l.id()))
            .orElse(new UsageLimits(Map.of(), Map.of()));
    return UsageChart.of(days(subscriptionId, from, to), from, to, granted);
  }

  /** The last {@code days} UTC days, today included. */
  public UsageChart recentChart(String subscriptionId, int days) {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    return chart(subscriptionId, today.minusDays(days - 1L), today);
  }

  /** The bound installation's id (null for none). */
  private String requireSubscription(String subscriptionId) {
    return subscriptions
        .find(subscriptionId)
        .orElseThrow(() -> KeyturnServerException.notFound("subscription", subscriptionId))
        .boundInstanceId();
  }
}
