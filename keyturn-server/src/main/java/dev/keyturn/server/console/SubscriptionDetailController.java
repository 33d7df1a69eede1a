package dev.keyturn.server.console;

import dev.keyturn.server.license.LicenseQuery;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.license.Licenses;
import dev.keyturn.server.payment.PaymentService;
import dev.keyturn.server.security.Actor;
import dev.keyturn.server.subscription.Subscription;
import dev.keyturn.server.subscription.SubscriptionFields;
import dev.keyturn.server.subscription.SubscriptionService;
import dev.keyturn.server.usage.UsageHistory;
import dev.keyturn.server.web.KeyturnServerException;
import dev.keyturn.server.web.Validator;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One subscription: its metadata (and the edit form), licenses, payments, capabilities and
 * timeline. Changes go through the same services as the API, which check the role and audit.
 */
@Controller
class SubscriptionDetailController {
  static final int LICENSES = 100;
  static final int PAYMENTS = 100;
  static final int USAGE_DAYS = 90;

  private final SubscriptionService service;
  private final Licenses licenses;
  private final PaymentService payments;
  private final SubscriptionHistory history;
  private final UsageHistory usage;
  private final JsonMapper json;
  private final Clock clock;

  SubscriptionDetailController(
      SubscriptionService service,
      Licenses licenses,
      PaymentService payments,
      SubscriptionHistory history,
      UsageHistory usage,
      JsonMapper json,
      Clock clock) {
    this.service = service;
    this.licenses = licenses;
    this.payments = payments;
    this.history = history;
    this.usage = usage;
    this.json = json;
    this.clock = clock;
  }

  @GetMapping("/console/subscriptions/{id}")
  String detail(@PathVariable String id, Model model) {
    Subscription s = service.get(id);
    Instant now = clock.instant();
    model.addAttribute("s", s);
    model.addAttribute("f", s.fields());
    if (!model.containsAttribute("form")) {
      model.addAttribute("form", SubscriptionForm.of(s));
    }
    model.addAttribute("paidThrough", Dates.minute(s.fields().paidThrough()));
    model.addAttribute("archivedAt", Dates.minute(s.archivedAt()));
    List<LicenseRecord> issued =
        licenses.search(
            new LicenseQuery(
                id, null, null, null, null, null, LicenseQuery.Sort.ISSUED_AT_DESC, LICENSES, 0),
            now);
    Instant newest =
        issued.stream()
            .filter(l -> !l.revoked())
            .map(LicenseRecord::expiresAt)
            .max(Instant::compareTo)
            .orElse(null);
    model.addAttribute(
        "licenses",
        issued.stream()
            .map(l -> LicenseRow.of(l, now, !l.revoked() && l.expiresAt().isBefore(newest)))
            .toList());
    model.addAttribute("payments", payments.of(id, PAYMENTS));
    model.addAttribute("timeline", history.of(id));
    model.addAttribute("usageChart", usage.recentChart(id, USAGE_DAYS));
    return "console/subscription";
  }

  /**
   * Sends only what changed, as the API's merge patch: a SUPPORT user's form posts only contacts,
   * and the service refuses any other field from that role, however the form was posted.
   */
  @PostMapping("/console/subscriptions/{id}")
  String edit(
      @PathVariable String id, @ModelAttribute SubscriptionForm form, RedirectAttributes redirect) {
    try {
      Subscription current = service.get(id);
      // Compared in the stored (validated) form, so "" and null, or a domain's case, are no change.
      SubscriptionFields changed = form.toFields(current.fields()).validated();
      ObjectNode before = json.valueToTree(current.fields());
      ObjectNode after = json.valueToTree(changed);
      ObjectNode patch = json.createObjectNode();
      for (String field : after.propertyNames()) {
        JsonNode value = after.get(field);
        if (!value.equals(before.get(field))) {
          patch.set(field, value);
        }
      }
      if (patch.isEmpty()) {
        redirect.addFlashAttribute("flash", "Nothing changed.");
      } else {
        service.patch(id, patch, Actor.current());
        redirect.addFlashAttribute(
            "flash", "Saved: " + String.join(", ", patch.propertyNames()) + ".");
      }
    } catch (KeyturnServerException e) {
      redirect.addFlashAttribute("flashError", "Not saved: " + e.getMessage());
      redirect.addFlashAttribute("editRefused", true); // the page opens the form again
      keepTyped(id, form, redirect);
    }
    return "redirect:/console/subscriptions/" + id;
  }

  @PostMapping("/console/subscriptions/{id}/payments")
  String recordPayment(
      @PathVariable String id,
      @RequestParam String paidThrough,
      @RequestParam String reference,
      @RequestParam(required = false) String amount,
      RedirectAttributes redirect) {
    try {
      PaymentService.Payment p =
          payments.record(
              id,
              new PaymentService.PaymentRequest(
                  amount == null || amount.isBlank() ? null : amount.strip(),
                  reference,
                  day(paidThrough, "paid_through")),
              Actor.current());
      redirect.addFlashAttribute(
          "flash",
          "Payment "
              + p.reference()
              + " recorded, paid through "
              + Dates.day(p.paidThrough())
              + (p.licenseId() == null
                  ? "; the current license covers it already."
                  : "; license " + p.licenseId() + " issued and sent."));
    } catch (KeyturnServerException e) {
      redirect.addFlashAttribute("flashError", "Payment not recorded: " + e.getMessage());
    }
    return "redirect:/console/subscriptions/" + id;
  }

  /** Archiving is permanent, so it asks first: the staff member types the subscription's name. */
  @GetMapping("/console/subscriptions/{id}/archive")
  String confirmArchive(@PathVariable String id, Model model) {
    model.addAttribute("s", service.get(id));
    return "console/subscription-archive";
  }

  @PostMapping("/console/subscriptions/{id}/archive")
  String archive(
      @PathVariable String id,
      @RequestParam(defaultValue = "") String confirmName,
      @RequestParam(defaultValue = "") String reason,
      RedirectAttributes redirect) {
    Subscription s = service.get(id);
    if (!confirmName.strip().equals(s.fields().displayName())) {
      redirect.addFlashAttribute(
          "flashError",
          "Not archived: type the subscription's name exactly (\""
              + s.fields().displayName()
              + "\") to confirm.");
      return "redirect:/console/subscriptions/" + id + "/archive";
    }
    try {
      service.archive(id, reason, Actor.current());
      redirect.addFlashAttribute("flash", "Archived; every license and capability is revoked.");
      return "redirect:/console/subscriptions/" + id;
    } catch (KeyturnServerException e) {
      redirect.addFlashAttribute("flashError", "Not archived: " + e.getMessage());
      return "redirect:/console/subscriptions/" + id + "/archive";
    }
  }

  /**
   * Shows the refused form again as typed, over the stored values for what it left out (a SUPPORT
   * user's disabled fields); text that does not even parse falls back to the stored values.
   */
  private void keepTyped(String id, SubscriptionForm form, RedirectAttributes redirect) {
    try {
      redirect.addFlashAttribute(
          "form", SubscriptionForm.of(form.toFields(service.get(id).fields())));
    } catch (KeyturnServerException unparseable) {
      // the page shows the stored values with the error
    }
  }

  static Instant day(String value, String field) {
    Validator v = new Validator();
    Instant t = SubscriptionForm.day(value, field, v);
    v.throwIfAny();
    return t;
  }
}
