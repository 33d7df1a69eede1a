package dev.keyturn.server.console.renewals;

import dev.keyturn.server.console.FormActions;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.license.Licenses;
import dev.keyturn.server.renewal.RenewalQueue;
import dev.keyturn.server.renewal.RenewalQueue.RenewalRequest;
import dev.keyturn.server.subscription.Subscription;
import dev.keyturn.server.subscription.SubscriptionService;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The renewal-request queue, oldest first, for SALES and SUPPORT to work off; closing (with a note
 * kept in the audit event) goes through the API's {@link RenewalQueue}.
 */
@Controller
class RenewalQueueController {
  private final RenewalQueue requests;
  private final SubscriptionService subscriptions;
  private final Licenses licenses;
  private final Clock clock;

  RenewalQueueController(
      RenewalQueue requests, SubscriptionService subscriptions, Licenses licenses, Clock clock) {
    this.requests = requests;
    this.subscriptions = subscriptions;
    this.licenses = licenses;
    this.clock = clock;
  }

  /**
   * A queue row: the request, the customer's name, and the expiry in force now (a license renewed
   * since the request shows its new date).
   */
  public record Row(RenewalRequest request, String customer, Instant currentExpiry) {}

  @GetMapping("/console/renewal-requests")
  String queue(@RequestParam(defaultValue = "OPEN") String state, Model model) {
    boolean closed = "CLOSED".equalsIgnoreCase(state);
    List<RenewalRequest> found = new ArrayList<>(requests.list(closed ? "CLOSED" : "OPEN", null));
    if (closed) {
      Collections.reverse(found); // the queue is oldest first; what was closed, newest first
    }
    Map<String, Subscription> seen = new HashMap<>();
    Instant now = clock.instant();
    List<Row> rows =
        found.stream()
            .map(
                r -> {
                  Subscription s = seen.computeIfAbsent(r.subscriptionId(), subscriptions::get);
                  Instant expiry =
                      licenses
                          .newestUsable(s.id(), now)
                          .map(LicenseRecord::expiresAt)
                          .orElse(r.expiresAt());
                  return new Row(r, s.fields().displayName(), expiry);
                })
            .toList();
    model.addAttribute("closed", closed);
    model.addAttribute("rows", rows);
    return "console/renewals/queue";
  }

  @PostMapping("/console/renewal-requests/{id}/close")
  String close(
      @PathVariable String id,
      @RequestParam(required = false) String note,
      RedirectAttributes redirect) {
    return FormActions.redirect(
        "/console/renewal-requests",
        redirect,
        () -> {
          requests.close(id, new RenewalQueue.CloseRequest(note));
          return "Renewal request " + id + " closed.";
        });
  }
}
