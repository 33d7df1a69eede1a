package dev.keyturn.server.delivery.internal;

import dev.keyturn.server.delivery.Deliveries;
import dev.keyturn.server.delivery.Delivery;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The delivery log, the stored mails and the webhook endpoints over HTTP ({@link Deliveries}). */
@RestController
class DeliveryController {
  private final Deliveries deliveries;

  DeliveryController(Deliveries deliveries) {
    this.deliveries = deliveries;
  }

  @GetMapping("/api/v1/deliveries")
  public List<Delivery> deliveries(
      @RequestParam(required = false) String state,
      @RequestParam(name = "subscription_id", required = false) String subscriptionId,
      @RequestParam(name = "endpoint_id", required = false) String endpointId,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    return deliveries.deliveries(state, subscriptionId, endpointId, limit, offset);
  }

  @GetMapping("/api/v1/deliveries/{id}/attempts")
  public List<Deliveries.Attempt> attempts(@PathVariable long id) {
    return deliveries.attempts(id);
  }

  /** A DEAD delivery gets a fresh set of attempts, starting now. */
  @PostMapping("/api/v1/deliveries/{id}/retry")
  public Map<String, Object> retry(@PathVariable long id) {
    return deliveries.retry(id);
  }

  @GetMapping("/api/v1/mails")
  public List<Deliveries.Mail> mails(
      @RequestParam(name = "subscription_id", required = false) String subscriptionId,
      @RequestParam(required = false) String recipient,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    return deliveries.mails(subscriptionId, recipient, limit, offset);
  }

  @PostMapping("/api/v1/webhook-endpoints")
  @ResponseStatus(HttpStatus.CREATED)
  public Deliveries.Endpoint register(@RequestBody Deliveries.EndpointRequest body) {
    return deliveries.register(body);
  }

  @GetMapping("/api/v1/webhook-endpoints")
  public List<Deliveries.Endpoint> endpoints() {
    return deliveries.endpoints();
  }

  @PostMapping("/api/v1/webhook-endpoints/{id}/disable")
  public Deliveries.Endpoint disable(@PathVariable String id) {
    return deliveries.disable(id);
  }

  /** Enqueues a {@code webhook.test} event for this endpoint only. */
  @PostMapping("/api/v1/webhook-endpoints/{id}/test")
  @ResponseStatus(HttpStatus.ACCEPTED)
  public Map<String, Object> test(@PathVariable String id) {
    return deliveries.test(id);
  }

  @GetMapping("/api/v1/webhook-endpoints/{id}")
  public Deliveries.Endpoint endpoint(@PathVariable String id) {
    return deliveries.endpoint(id);
  }
}
