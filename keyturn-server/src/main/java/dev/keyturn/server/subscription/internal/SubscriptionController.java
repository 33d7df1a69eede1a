package dev.keyturn.server.subscription.internal;

import dev.keyturn.server.security.Actor;
import dev.keyturn.server.subscription.CustomerType;
import dev.keyturn.server.subscription.InstanceType;
import dev.keyturn.server.subscription.Subscription;
import dev.keyturn.server.subscription.SubscriptionFields;
import dev.keyturn.server.subscription.SubscriptionQuery;
import dev.keyturn.server.subscription.SubscriptionService;
import dev.keyturn.server.subscription.Subscriptions;
import dev.keyturn.server.web.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
class SubscriptionController {
  private final SubscriptionService service;
  private final Subscriptions subscriptions;

  SubscriptionController(SubscriptionService service, Subscriptions subscriptions) {
    this.service = service;
    this.subscriptions = subscriptions;
  }

  record ArchiveRequest(String reason) {}

  record ReleaseRequest(String reason) {}

  @PostMapping("/api/v1/subscriptions")
  @ResponseStatus(HttpStatus.CREATED)
  Subscription create(@RequestBody SubscriptionFields body) {
    return service.create(body, Actor.current());
  }

  @GetMapping("/api/v1/subscriptions")
  List<Subscription> search(
      @RequestParam(required = false) String q,
      @RequestParam(name = "customer_type", required = false) CustomerType customerType,
      @RequestParam(name = "instance_type", required = false) InstanceType instanceType,
      @RequestParam(required = false) Boolean archived,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    return subscriptions.search(
        new SubscriptionQuery(
            q, customerType, instanceType, archived, Paging.limit(limit), Paging.offset(offset)));
  }

  @GetMapping("/api/v1/subscriptions/{id}")
  Subscription get(@PathVariable String id) {
    return service.get(id);
  }

  @PatchMapping(
      path = "/api/v1/subscriptions/{id}",
      consumes = {"application/json", "application/merge-patch+json"})
  @Operation(
      summary = "Change a subscription (JSON merge patch)",
      description =
          "Fields present replace the stored value (null resets to the default); absent fields stay."
              + " ADMIN and SALES may change every field; SUPPORT only contacts.")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(
      content = @Content(schema = @Schema(implementation = SubscriptionFields.class)))
  Subscription patch(@PathVariable String id, @RequestBody JsonNode body) {
    return service.patch(id, body, Actor.current());
  }

  @PostMapping("/api/v1/subscriptions/{id}/archive")
  Subscription archive(@PathVariable String id, @RequestBody ArchiveRequest body) {
    return service.archive(id, body.reason(), Actor.current());
  }

  /** The overage allowance signed into the licenses issued from now on (issue 18). */
  @org.springframework.web.bind.annotation.PutMapping("/api/v1/subscriptions/{id}/overage-percent")
  @Operation(
      summary = "Set the subscription's overage allowance per limit",
      description =
          "The body is the whole allowance, limit name → whole percent 0..1000 (e.g. {\"users\":"
              + " 10}: up to 275 of 250 users before growth is refused); {} removes it. Each"
              + " license issued from now on signs it in as [license.overage_percent]; licenses"
              + " issued before keep theirs. ADMIN and SALES.")
  Subscription overagePercent(
      @PathVariable String id, @RequestBody java.util.Map<String, Integer> body) {
    return service.setOveragePercent(id, body, Actor.current());
  }

  /** Frees the instance binding, so a replacement instance can check in. */
  @PostMapping("/api/v1/subscriptions/{id}/release-instance")
  Subscription releaseInstance(@PathVariable String id, @RequestBody ReleaseRequest body) {
    return service.releaseInstance(id, body.reason(), Actor.current());
  }
}
