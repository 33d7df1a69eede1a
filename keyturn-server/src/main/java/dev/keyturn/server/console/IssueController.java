package dev.keyturn.server.console;

import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.server.license.IssueRequest;
import dev.keyturn.server.license.LicenseIssuer;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.security.Actor;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.subscription.Subscription;
import dev.keyturn.server.subscription.SubscriptionService;
import dev.keyturn.server.web.KeyturnServerException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Issuing a license by hand, in two steps: the preview (the lifecycle timeline of the license as it
 * would be signed), then "Sign and issue". The issuer decides; a refusal (an engineer's 7-day cap,
 * say) shows its reason and nothing is issued.
 */
@Controller
class IssueController {
  private final SubscriptionService subscriptions;
  private final LicenseIssuer issuer;
  private final Clock clock;

  IssueController(SubscriptionService subscriptions, LicenseIssuer issuer, Clock clock) {
    this.subscriptions = subscriptions;
    this.issuer = issuer;
    this.clock = clock;
  }

  @GetMapping("/console/subscriptions/{id}/issue")
  String form(@PathVariable String id, Model model) {
    Actor actor = Actor.current();
    int days = actor.is(Role.ENGINEER) ? (int) LicenseIssuer.ENGINEER_MAX_VALIDITY.toDays() : 365;
    return page(subscriptions.get(id), IssueForm.suggested(days), model);
  }

  @PostMapping("/console/subscriptions/{id}/issue")
  String issue(
      @PathVariable String id,
      @ModelAttribute IssueForm form,
      @RequestParam(defaultValue = "preview") String step,
      Model model,
      RedirectAttributes redirect) {
    Subscription s = subscriptions.get(id);
    try {
      IssueRequest request = form.request();
      if (!"sign".equals(step)) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt =
            request.duration() != null ? now.plus(request.duration()) : request.expiresAt();
        if (expiresAt.isAfter(now)) {
          Policy policy = issuer.policyFor(s.fields().policyPreset(), Actor.current().role());
          model.addAttribute("preview", LifecyclePreview.of(now, expiresAt, policy));
        } else {
          model.addAttribute("flashError", "The expiry must be in the future.");
        }
        return page(s, form, model);
      }
      LicenseRecord issued = issuer.issue(id, request, Actor.current());
      redirect.addFlashAttribute(
          "flash",
          "License "
              + issued.id()
              + " issued, valid until "
              + Dates.minute(issued.expiresAt())
              + ".");
      return "redirect:/console/subscriptions/" + id;
    } catch (KeyturnServerException e) {
      model.addAttribute("flashError", "Nothing was issued: " + e.getMessage());
      return page(s, form, model);
    }
  }

  private String page(Subscription s, IssueForm form, Model model) {
    Actor actor = Actor.current();
    model.addAttribute("s", s);
    model.addAttribute("form", form);
    model.addAttribute("tags", IssueForm.TAGS);
    model.addAttribute("engineer", actor.is(Role.ENGINEER));
    model.addAttribute("maxDays", LicenseIssuer.ENGINEER_MAX_VALIDITY.toDays());
    return "console/issue";
  }
}
