package dev.keyturn.server.console.webhooks;

import dev.keyturn.server.console.FormActions;
import dev.keyturn.server.delivery.Deliveries;
import dev.keyturn.server.delivery.Delivery;
import dev.keyturn.server.delivery.DeliveryWorker;
import dev.keyturn.server.delivery.Webhooks;
import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.KeyturnServerException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Webhook endpoints (ADMIN, by {@code ConsoleSecurity}): list, add with a generated secret shown
 * once, test-send, disable, and each endpoint's delivery log. Every change goes through the API's
 * {@link Deliveries}, so it is validated and audited the same way.
 */
@Controller
class WebhookController {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String TEST = "webhook.test";

  private final Deliveries deliveries;
  private final DeliveryWorker worker;

  WebhookController(Deliveries deliveries, DeliveryWorker worker) {
    this.deliveries = deliveries;
    this.worker = worker;
  }

  @GetMapping("/console/webhooks")
  String list(Model model) {
    model.addAttribute("endpoints", deliveries.endpoints());
    model.addAttribute("eventTypes", Webhooks.EVENT_TYPES.stream().sorted().toList());
    return "console/webhooks/list";
  }

  @PostMapping("/console/webhooks")
  String add(
      @RequestParam(defaultValue = "") String url,
      @RequestParam(name = "event_types", required = false) List<String> eventTypes,
      RedirectAttributes redirect) {
    try {
      String secret = "whsec_" + HexFormat.of().formatHex(randomBytes());
      Deliveries.Endpoint e =
          deliveries.register(
              new Deliveries.EndpointRequest(
                  url.strip(), secret, eventTypes == null ? List.of() : eventTypes));
      redirect.addFlashAttribute(
          "flash", "Endpoint added. Copy its signing secret now: it is not shown again.");
      redirect.addFlashAttribute("secret", secret);
      return "redirect:/console/webhooks/" + e.id();
    } catch (KeyturnServerException e) {
      redirect.addFlashAttribute("flashError", e.getMessage());
      redirect.addFlashAttribute("url", url);
      return "redirect:/console/webhooks";
    }
  }

  @GetMapping("/console/webhooks/{id}")
  String show(@PathVariable String id, Model model) {
    model.addAttribute("endpoint", deliveries.endpoint(id));
    model.addAttribute("deliveries", deliveries.deliveries(null, null, id, 100, 0));
    return "console/webhooks/show";
  }

  /**
   * Queues a signed {@code webhook.test} event through the outbox, then attempts it at once, as the
   * delivery worker would, so the result shows on the page that comes back.
   */
  @PostMapping("/console/webhooks/{id}/test")
  String test(@PathVariable String id, RedirectAttributes redirect) {
    return FormActions.redirect(
        "/console/webhooks/" + id,
        redirect,
        () -> {
          deliveries.test(id);
          Optional<Delivery> queued = newestPendingTest(id);
          if (queued.isEmpty()) {
            return "Test event queued; the delivery worker sends it.";
          }
          if (worker.attemptNow(queued.get().id())) {
            return "Test event " + queued.get().id() + " delivered: the endpoint answered 2xx.";
          }
          String error =
              deliveries.deliveries(null, null, id, 100, 0).stream()
                  .filter(d -> d.id() == queued.get().id())
                  .findFirst()
                  .map(Delivery::lastError)
                  .orElse("unknown error");
          // Shown as a refusal; the row stays PENDING and is retried with backoff.
          throw new KeyturnServerException(
              ErrorCode.CONFLICT, "Test event " + queued.get().id() + " failed: " + error);
        });
  }

  @PostMapping("/console/webhooks/{id}/disable")
  String disable(@PathVariable String id, RedirectAttributes redirect) {
    return FormActions.redirect(
        "/console/webhooks/" + id,
        redirect,
        () -> {
          deliveries.disable(id);
          return "Endpoint disabled: no new events are sent to it.";
        });
  }

  private Optional<Delivery> newestPendingTest(String endpointId) {
    return deliveries.deliveries(Delivery.PENDING, null, endpointId, 100, 0).stream()
        .filter(d -> TEST.equals(d.eventType()))
        .findFirst();
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return b;
  }
}
