package dev.keyturn.server.billing;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import dev.keyturn.server.system.Db;
import dev.keyturn.server.system.ErrorCode;
import dev.keyturn.server.system.KeyturnServerException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Stripe's webhook and the events left for follow-up. */
@RestController
class StripeWebhookController {
  private static final Logger log = LoggerFactory.getLogger(StripeWebhookController.class);

  private final StripeBilling billing;
  private final StripeProperties properties;
  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final Clock clock;

  StripeWebhookController(
      StripeBilling billing,
      StripeProperties properties,
      JdbcClient jdbc,
      JsonMapper json,
      Clock clock) {
    this.billing = billing;
    this.properties = properties;
    this.jdbc = jdbc;
    this.json = json;
    this.clock = clock;
  }

  /**
   * Stripe's signature is checked against the server clock (the test clock when enabled), so a
   * rehearsal on a moved clock accepts events signed "now" on that clock.
   */
  @PostMapping("/webhooks/stripe")
  Map<String, Object> receive(
      @RequestBody(required = false) String payload,
      @RequestHeader(name = "Stripe-Signature", required = false) String signature) {
    if (properties.webhookSecret() == null) {
      throw new KeyturnServerException(
          ErrorCode.STRIPE_NOT_CONFIGURED,
          "set KEYTURN_STRIPE_WEBHOOK_SECRET (keyturn.stripe.webhook-secret) to accept Stripe"
              + " events");
    }
    if (payload == null || signature == null) {
      throw new KeyturnServerException(
          ErrorCode.STRIPE_SIGNATURE_INVALID, "a signed body and a Stripe-Signature header");
    }
    Event event;
    try {
      event =
          Webhook.constructEvent(
              payload, signature, properties.webhookSecret(), properties.tolerance(), clock);
    } catch (SignatureVerificationException e) {
      log.warn("Stripe webhook refused: {}", e.getMessage());
      throw new KeyturnServerException(ErrorCode.STRIPE_SIGNATURE_INVALID, e.getMessage());
    } catch (RuntimeException e) {
      throw new KeyturnServerException(
          ErrorCode.MALFORMED_REQUEST, "not a Stripe event: " + e.getMessage());
    }
    if (event.getId() == null || event.getType() == null || event.getCreated() == null) {
      throw new KeyturnServerException(
          ErrorCode.MALFORMED_REQUEST, "a Stripe event has an id, a type and created");
    }
    if (billing.seen(event.getId())) {
      return answer(event, BillingOutcome.DUPLICATE);
    }
    JsonNode tree = json.readTree(payload);
    StripeBilling.Received received =
        new StripeBilling.Received(
            event.getId(),
            event.getType(),
            Instant.ofEpochSecond(event.getCreated()),
            tree,
            payload);
    try {
      return answer(event, billing.apply(received));
    } catch (DuplicateKeyException e) {
      return answer(event, BillingOutcome.DUPLICATE);
    }
  }

  private static Map<String, Object> answer(Event event, BillingOutcome outcome) {
    return Map.of("id", event.getId(), "type", event.getType(), "outcome", outcome.name());
  }

  record UnmatchedEvent(
      String id,
      String type,
      Instant created,
      Instant receivedAt,
      String stripeCustomerId,
      String stripeSubscriptionId) {}

  /** Events naming Stripe ids no subscription has: set the ids on the subscription, then replay. */
  @GetMapping("/api/v1/billing/unmatched-events")
  List<UnmatchedEvent> unmatched() {
    return jdbc.sql(
            "select id, type, created, received_at, stripe_customer_id, stripe_subscription_id"
                + " from stripe_events where outcome = 'UNMATCHED' order by received_at desc, id"
                + " limit 500")
        .query(
            (rs, n) ->
                new UnmatchedEvent(
                    rs.getString("id"),
                    rs.getString("type"),
                    Db.instant(rs, "created"),
                    Db.instant(rs, "received_at"),
                    rs.getString("stripe_customer_id"),
                    rs.getString("stripe_subscription_id")))
        .list();
  }
}
