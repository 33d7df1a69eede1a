package dev.keyturn.server.console;

import dev.keyturn.server.license.LicenseIssuer;
import dev.keyturn.server.license.LicenseQuery;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.license.Licenses;
import dev.keyturn.server.security.Actor;
import dev.keyturn.server.subscription.SubscriptionService;
import dev.keyturn.server.web.KeyturnServerException;
import dev.keyturn.server.web.ValidationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Clean-up: licenses tagged test/dev/internal, and licenses long expired, revoked or their
 * subscriptions archived in bulk. Each change goes through the issuer or the subscription service,
 * one by one, so each is audited with the staff member as actor, and one refusal (already revoked,
 * already archived) does not stop the rest.
 */
@Controller
class CleanupController {
  static final List<String> TAGS = List.of("test", "dev", "internal");
  static final int LIMIT = 200;

  private final Licenses licenses;
  private final LicenseIssuer issuer;
  private final SubscriptionService subscriptions;
  private final Clock clock;

  CleanupController(
      Licenses licenses, LicenseIssuer issuer, SubscriptionService subscriptions, Clock clock) {
    this.licenses = licenses;
    this.issuer = issuer;
    this.subscriptions = subscriptions;
    this.clock = clock;
  }

  /** A candidate and why it is one. */
  public record Candidate(LicenseRow license, String subscriptionId, String customer, String why) {}

  @GetMapping("/console/cleanup")
  String candidates(@RequestParam(defaultValue = "90") int expiredDays, Model model) {
    int days = Math.max(0, expiredDays);
    Instant now = clock.instant();
    Map<String, Candidate> found = new LinkedHashMap<>();
    for (String tag : TAGS) {
      for (LicenseRecord l : licenses.search(query(tag, null), now)) {
        found.putIfAbsent(l.id(), candidate(l, now, "tagged " + tag));
      }
    }
    // "Expired before now − N days" is the list's own "expired" filter at that earlier instant.
    for (LicenseRecord l : licenses.search(query(null, true), now.minus(Duration.ofDays(days)))) {
      found.putIfAbsent(l.id(), candidate(l, now, "expired more than " + days + " days ago"));
    }
    model.addAttribute("expiredDays", days);
    model.addAttribute("candidates", List.copyOf(found.values()));
    model.addAttribute("limit", LIMIT);
    return "console/cleanup";
  }

  @PostMapping("/console/cleanup")
  String apply(
      @RequestParam(required = false) List<String> licenseIds,
      @RequestParam(defaultValue = "") String reason,
      @RequestParam String action,
      @RequestParam(defaultValue = "90") int expiredDays,
      RedirectAttributes redirect) {
    String back = "redirect:/console/cleanup?expiredDays=" + expiredDays;
    List<String> ids = licenseIds == null ? List.of() : licenseIds;
    if (ids.isEmpty() || reason.isBlank()) {
      redirect.addFlashAttribute(
          "flashError", "Nothing changed: select at least one license and give a reason.");
      return back;
    }
    Actor actor = Actor.current();
    List<String> refused = new ArrayList<>();
    int changed = 0;
    if ("archive".equals(action)) {
      Set<String> subscriptionIds = new LinkedHashSet<>();
      for (String id : ids) {
        licenses.find(id).ifPresent(l -> subscriptionIds.add(l.subscriptionId()));
      }
      for (String id : subscriptionIds) {
        try {
          subscriptions.archive(id, reason, actor);
          changed++;
        } catch (KeyturnServerException e) {
          refused.add(e.getMessage());
        }
      }
      redirect.addFlashAttribute("flash", "Archived " + changed + " subscription(s).");
    } else if ("revoke".equals(action)) {
      for (String id : ids) {
        try {
          issuer.revoke(id, reason, actor);
          changed++;
        } catch (KeyturnServerException e) {
          refused.add(e.getMessage());
        }
      }
      redirect.addFlashAttribute("flash", "Revoked " + changed + " license(s).");
    } else {
      throw ValidationException.of("action", "'" + action + "' is not revoke or archive");
    }
    if (!refused.isEmpty()) {
      redirect.addFlashAttribute(
          "flashError", refused.size() + " refused: " + String.join("; ", refused));
    }
    return back;
  }

  private static LicenseQuery query(String tag, Boolean expired) {
    return new LicenseQuery(
        null, null, tag, null, expired, false, LicenseQuery.Sort.EXPIRES_AT, LIMIT, 0);
  }

  private static Candidate candidate(LicenseRecord l, Instant now, String why) {
    return new Candidate(LicenseRow.of(l, now), l.subscriptionId(), l.customer(), why);
  }
}
