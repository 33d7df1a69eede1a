package dev.keyturn.server.console;

import dev.keyturn.core.lifecycle.Phase;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.server.delivery.Delivery;
import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.license.Licenses;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The first screen: what expires next, and whether anything is about to lapse by mistake. Every
 * panel is a limited query on an indexed column or a count, so it stays fast for a large fleet.
 */
@Controller
class DashboardController {
  static final int PAGE = 50;
  static final int WEEKS = 26;
  static final int PANEL = 10;

  /**
   * The table starts this far back: licenses that expired within the longest grace of any preset
   * are still rescuable (or just locked), and the bound keeps the walk on the index short.
   */
  static final Duration LOOK_BACK =
      Stream.of(Policy.APPLIANCE, Policy.SUBSCRIPTION)
          .map(Policy::gracePeriod)
          .max(Duration::compareTo)
          .orElseThrow();

  private final Licenses licenses;
  private final FleetSummary fleet;
  private final JdbcClient jdbc;
  private final Clock clock;

  DashboardController(Licenses licenses, FleetSummary fleet, JdbcClient jdbc, Clock clock) {
    this.licenses = licenses;
    this.fleet = fleet;
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** A subscription whose payments are failing. */
  public record Failing(String subscriptionId, String displayName, String since) {}

  @GetMapping({"/console", "/console/"})
  String dashboard(@RequestParam(defaultValue = "0") int page, Model model) {
    Instant now = clock.instant();
    int p = Math.max(0, page);
    List<ExpiryRow> rows =
        licenses.currentByExpiry(now.minus(LOOK_BACK), PAGE + 1, p * PAGE).stream()
            .map(c -> ExpiryRow.of(c, now))
            .toList();
    FleetSummary.Snapshot summary = fleet.at(now, WEEKS);
    model.addAttribute("counts", summary.counts());
    model.addAttribute("countedAt", summary.at().equals(now) ? null : Dates.minute(summary.at()));
    model.addAttribute("phases", List.of(Phase.ACTIVE, Phase.EXPIRING, Phase.GRACE, Phase.LOCKED));
    model.addAttribute("rows", rows.size() > PAGE ? rows.subList(0, PAGE) : rows);
    model.addAttribute("page", p);
    model.addAttribute("hasNext", rows.size() > PAGE);
    model.addAttribute("lookBackDays", LOOK_BACK.toDays());
    model.addAttribute("chart", ExpiryChart.of(now, licenses.currentExpiriesPerWeek(now, WEEKS)));
    model.addAttribute("gaps", summary.gaps());
    model.addAttribute("failing", failing());
    model.addAttribute(
        "failingCount",
        count(
            "select count(*) from subscriptions where archived_at is null and payment_failing_since is not null"));
    model.addAttribute(
        "deadLetters",
        jdbc.sql("select count(*) from outbox where state = ?")
            .param(Delivery.DEAD)
            .query(Long.class)
            .single());
    model.addAttribute(
        "openRenewals", count("select count(*) from renewal_requests where state = 'OPEN'"));
    return "console/dashboard";
  }

  private List<Failing> failing() {
    return jdbc.sql(
            "select id, display_name, payment_failing_since from subscriptions where archived_at"
                + " is null and payment_failing_since is not null order by payment_failing_since,"
                + " id limit ?")
        .param(PANEL)
        .query(
            (rs, n) ->
                new Failing(
                    rs.getString("id"),
                    rs.getString("display_name"),
                    Dates.day(Db.instant(rs, "payment_failing_since"))))
        .list();
  }

  private long count(String sql) {
    return jdbc.sql(sql).query(Long.class).single();
  }
}
