package dev.keyturn.server.console;

import dev.keyturn.core.lifecycle.Phase;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.server.delivery.Deliveries;
import dev.keyturn.server.delivery.Delivery;
import dev.keyturn.server.license.Licenses;
import dev.keyturn.server.policy.Policies;
import dev.keyturn.server.renewal.RenewalRequests;
import dev.keyturn.server.subscription.SubscriptionBilling;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
   * The table starts this far back: licenses that expired within the longest grace of any policy
   * (the presets' and the vendor's own) are still rescuable (or just locked), and the bound keeps
   * the walk on the index short.
   */
  private Duration lookBack() {
    return policies.all().stream()
        .map(p -> p.policy().gracePeriod())
        .max(Duration::compareTo)
        .orElse(Policy.APPLIANCE.gracePeriod());
  }

  private final Licenses licenses;
  private final FleetSummary fleet;
  private final SubscriptionBilling billing;
  private final Deliveries deliveries;
  private final RenewalRequests renewals;
  private final Clock clock;
  private final Policies policies;

  DashboardController(
      Policies policies,
      Licenses licenses,
      FleetSummary fleet,
      SubscriptionBilling billing,
      Deliveries deliveries,
      RenewalRequests renewals,
      Clock clock) {
    this.licenses = licenses;
    this.fleet = fleet;
    this.billing = billing;
    this.deliveries = deliveries;
    this.renewals = renewals;
    this.clock = clock;
    this.policies = policies;
  }

  /** A subscription whose payments are failing. */
  public record Failing(String subscriptionId, String displayName, String since) {}

  @GetMapping({"/console", "/console/"})
  String dashboard(@RequestParam(defaultValue = "0") int page, Model model) {
    Instant now = clock.instant();
    Duration lookBack = lookBack();
    int p = Math.max(0, page);
    List<ExpiryRow> rows =
        licenses.currentByExpiry(now.minus(lookBack), PAGE + 1, p * PAGE).stream()
            .map(c -> ExpiryRow.of(c, now))
            .toList();
    FleetSummary.Snapshot summary = fleet.at(now, WEEKS);
    model.addAttribute("counts", summary.counts());
    model.addAttribute("countedAt", summary.at().equals(now) ? null : Dates.minute(summary.at()));
    model.addAttribute("phases", List.of(Phase.ACTIVE, Phase.EXPIRING, Phase.GRACE, Phase.LOCKED));
    model.addAttribute("rows", rows.size() > PAGE ? rows.subList(0, PAGE) : rows);
    model.addAttribute("page", p);
    model.addAttribute("hasNext", rows.size() > PAGE);
    model.addAttribute("lookBackDays", lookBack.toDays());
    model.addAttribute("chart", ExpiryChart.of(now, licenses.currentExpiriesPerWeek(now, WEEKS)));
    model.addAttribute("gaps", summary.gaps());
    model.addAttribute("failing", failing());
    model.addAttribute("failingCount", billing.countPaymentsFailing());
    model.addAttribute("deadLetters", deliveries.count(Delivery.DEAD));
    model.addAttribute("openRenewals", renewals.countOpen());
    return "console/dashboard";
  }

  private List<Failing> failing() {
    return billing.paymentsFailing(PANEL).stream()
        .map(f -> new Failing(f.id(), f.displayName(), Dates.day(f.since())))
        .toList();
  }
}
