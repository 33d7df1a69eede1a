package dev.keyturn.server.billing.internal;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import dev.keyturn.server.billing.StripeProperties;
import dev.keyturn.server.web.ApiProblem;
import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.KeyturnServerException;
import dev.keyturn.server.web.OpenApiConfiguration;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Stripe's webhook and the events left for follow-up. */
@RestController
@Tag(name = "Billing", description = "Stripe webhooks, Billing Portal sessions, unmatched events")
class StripeWebhookController {
  private static final Logger log = LoggerFactory.getLogger(StripeWebhookController.class);

  private final StripeBilling billing;
  private final StripeProperties properties;
  private final JsonMapper json;
  private final Clock clock;

  StripeWebhookController(
      StripeBilling billing, StripeProperties properties, JsonMapper json, Clock clock) {
    this.billing = billing;
    this.properties = properties;
    this.json = json;
    this.clock = clock;
  }

  /**
   * Stripe's signature is checked against the server clock (the test clock when enabled), so a
   * rehearsal on a moved clock accepts events signed "now" on that clock.
   */
  @PostMapping("/webhooks/stripe")
  @Operation(
      summary = "Receive a Stripe event",
      description =
          "Stripe's webhook endpoint. The Stripe-Signature header is checked against"
              + " keyturn.stripe.webhook-secret (timestamp tolerance 300 s, on the server clock)."
              + " Used: invoice.paid (paid-through := the invoice's period end, new license),"
              + " invoice.payment_failed, customer.subscription.updated and .deleted; other types"
              + " are answered 200 and logged. Every event id is stored: a redelivery answers 200"
              + " DUPLICATE and changes nothing; an event older than what it would change answers"
              + " STALE; one naming unknown Stripe ids is kept as UNMATCHED until resent.")
  @SecurityRequirements // none: Stripe signs the request instead
  @io.swagger.v3.oas.annotations.parameters.RequestBody(
      description = "The event exactly as Stripe sent it: the signature covers these bytes",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(type = "object", description = "A Stripe Event object")))
  @ApiResponse(responseCode = "200", description = "Taken: what the event did")
  @ApiResponse(
      responseCode = "400",
      description =
          "Missing, wrong or stale signature (stripe.signature_invalid), or not a Stripe event"
              + " (request.malformed); nothing changed",
      content =
          @Content(
              mediaType = ApiProblem.MEDIA_TYPE,
              schema = @Schema(implementation = ApiProblem.class)))
  @ApiResponse(
      responseCode = "503",
      ref = OpenApiConfiguration.STRIPE_NOT_CONFIGURED,
      description = "No webhook secret is set (stripe.not_configured); Stripe retries later")
  Answer receive(
      @RequestBody(required = false) String payload,
      @Parameter(description = "t=<unix time>,v1=<hex HMAC-SHA256 of t.payload>")
          @RequestHeader(name = "Stripe-Signature", required = false)
          String signature) {
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
      refuseFutureTimestamp(signature, properties.tolerance());
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

  /** What Stripe is answered (and what an operator replaying an event sees). */
  record Answer(String id, String type, BillingOutcome outcome) {}

  private static Answer answer(Event event, BillingOutcome outcome) {
    return new Answer(event.getId(), event.getType(), outcome);
  }

  /** Events naming Stripe ids no subscription has: set the ids on the subscription, then replay. */
  @GetMapping("/api/v1/billing/unmatched-events")
  @Operation(
      summary = "List Stripe events no subscription matched",
      description =
          "Events whose Stripe customer and subscription ids no subscription has (newest first,"
              + " at most 500). Set those ids on the right subscription, then resend the event"
              + " from Stripe's dashboard: it applies then. Any signed-in role.")
  @ApiResponse(responseCode = "200", description = "The unmatched events")
  @ApiResponse(responseCode = "401", ref = OpenApiConfiguration.UNAUTHENTICATED)
  List<StripeBilling.UnmatchedEvent> unmatched() {
    return billing.unmatched();
  }

  /**
   * Stripe's library refuses only signatures older than the tolerance; one stamped further ahead
   * than that is as suspicious (a forged clock, or a captured event held for a later replay).
   */
  private void refuseFutureTimestamp(String signature, long tolerance)
      throws SignatureVerificationException {
    for (String part : signature.split(",")) {
      String item = part.strip();
      if (item.startsWith("t=")) {
        long timestamp;
        try {
          timestamp = Long.parseLong(item.substring(2));
        } catch (NumberFormatException e) {
          throw new SignatureVerificationException("the timestamp is not a number", signature);
        }
        long ahead = timestamp - clock.instant().getEpochSecond();
        if (ahead > tolerance) {
          throw new SignatureVerificationException(
              "the timestamp is "
                  + ahead
                  + " s ahead of the server clock (tolerance "
                  + tolerance
                  + " s)",
              signature);
        }
      }
    }
  }
}
