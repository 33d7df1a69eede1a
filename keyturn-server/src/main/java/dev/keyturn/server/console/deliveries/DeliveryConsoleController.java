package dev.keyturn.server.console.deliveries;

import dev.keyturn.server.console.FormActions;
import dev.keyturn.server.delivery.Deliveries;
import dev.keyturn.server.delivery.Delivery;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The outbox by state (dead letters first of all), each delivery's attempts, and retry (ADMIN, by
 * {@code ConsoleSecurity}) through the API's retry, which re-queues and audits it.
 */
@Controller
class DeliveryConsoleController {
  private static final int PAGE = 50;

  private final Deliveries deliveries;

  DeliveryConsoleController(Deliveries deliveries) {
    this.deliveries = deliveries;
  }

  @GetMapping("/console/deliveries")
  String list(
      @RequestParam(required = false) String status,
      @RequestParam(defaultValue = "0") int page,
      Model model) {
    String state = status == null || status.isBlank() ? null : status.toUpperCase(Locale.ROOT);
    List<Delivery> found =
        deliveries.deliveries(state, null, null, PAGE + 1, Math.max(0, page) * PAGE);
    model.addAttribute("status", state);
    model.addAttribute("deliveries", found.subList(0, Math.min(found.size(), PAGE)));
    model.addAttribute("page", Math.max(0, page));
    model.addAttribute("hasNext", found.size() > PAGE);
    return "console/deliveries/list";
  }

  @GetMapping("/console/deliveries/{id:\\d+}")
  String show(@PathVariable long id, Model model) {
    model.addAttribute("id", id);
    model.addAttribute("attempts", deliveries.attempts(id));
    return "console/deliveries/show";
  }

  @PostMapping("/console/deliveries/{id}/retry")
  String retry(
      @PathVariable long id,
      @RequestParam(name = "back", defaultValue = "DEAD") String back,
      RedirectAttributes redirect) {
    String status = back.matches("[A-Z]{1,20}") ? back : "DEAD";
    return FormActions.redirect(
        "/console/deliveries?status=" + status,
        redirect,
        () -> {
          deliveries.retry(id);
          return "Delivery " + id + " re-queued: the delivery worker sends it now.";
        });
  }
}
