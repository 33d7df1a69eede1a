package dev.keyturn.server.console;

import dev.keyturn.server.security.Actor;
import dev.keyturn.server.subscription.Subscription;
import dev.keyturn.server.subscription.SubscriptionQuery;
import dev.keyturn.server.subscription.SubscriptionService;
import dev.keyturn.server.subscription.Subscriptions;
import dev.keyturn.server.web.KeyturnServerException;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Finding subscriptions, and creating one. */
@Controller
class SubscriptionsController {
  static final int PAGE = 50;

  private final Subscriptions subscriptions;
  private final SubscriptionService service;

  SubscriptionsController(Subscriptions subscriptions, SubscriptionService service) {
    this.subscriptions = subscriptions;
    this.service = service;
  }

  @GetMapping("/console/subscriptions")
  String list(
      @RequestParam(required = false) String q,
      @RequestParam(defaultValue = "false") boolean archived,
      @RequestParam(defaultValue = "0") int page,
      Model model) {
    int p = Math.max(0, page);
    List<Subscription> found =
        subscriptions.search(new SubscriptionQuery(q, null, null, archived, PAGE + 1, p * PAGE));
    model.addAttribute("q", q == null ? "" : q);
    model.addAttribute("archived", archived);
    model.addAttribute("page", p);
    model.addAttribute("hasNext", found.size() > PAGE);
    model.addAttribute("subscriptions", found.size() > PAGE ? found.subList(0, PAGE) : found);
    return "console/subscriptions";
  }

  @GetMapping("/console/subscriptions/new")
  String form(Model model) {
    model.addAttribute("form", SubscriptionForm.blank());
    return "console/subscription-new";
  }

  /** Refused input shows the form again with the reason, keeping what was typed. */
  @PostMapping("/console/subscriptions")
  String create(@ModelAttribute SubscriptionForm form, Model model, RedirectAttributes redirect) {
    try {
      Subscription created = service.create(form.toFields(null), Actor.current());
      redirect.addFlashAttribute(
          "flash",
          "Created " + created.fields().displayName() + ". Issue its first license below.");
      return "redirect:/console/subscriptions/" + created.id();
    } catch (KeyturnServerException e) {
      model.addAttribute("form", form);
      model.addAttribute("flashError", e.getMessage());
      return "console/subscription-new";
    }
  }
}
