package dev.keyturn.server.payment.internal;

import dev.keyturn.server.delivery.DeliveryWorker;
import dev.keyturn.server.lifecycle.LicenseGaps;
import dev.keyturn.server.lifecycle.Sweep;
import dev.keyturn.server.payment.PaymentService;
import dev.keyturn.server.security.Actor;
import dev.keyturn.server.subscription.ContactPreferences;
import dev.keyturn.server.subscription.SubscriptionService;
import dev.keyturn.server.web.OpenApiConfiguration;
import dev.keyturn.server.web.Validator;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Payments, license gaps, contact preferences and running the automation now. */
@RestController
@Tag(name = "Payments", description = "Payments recorded by hand, license gaps, the automation")
class PaymentController {
  private final PaymentService payments;
  private final SubscriptionService subscriptions;
  private final JdbcClient jdbc;
  private final Clock clock;
  private final ContactPreferences preferences;
  private final Sweep sweep;
  private final DeliveryWorker deliveries;

  PaymentController(
      PaymentService payments,
      SubscriptionService subscriptions,
      JdbcClient jdbc,
      Clock clock,
      ContactPreferences preferences,
      Sweep sweep,
      DeliveryWorker deliveries) {
    this.payments = payments;
    this.subscriptions = subscriptions;
    this.jdbc = jdbc;
    this.clock = clock;
    this.preferences = preferences;
    this.sweep = sweep;
    this.deliveries = deliveries;
  }

  record Preferences(Boolean muteEarlyReminders) {}

  @PostMapping("/api/v1/subscriptions/{id}/payments")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(
      summary = "Record a payment (offline, purchase order, bank transfer)",
      description =
          "Moves paid-through forward to paid_through (in the future, never back); the license"
              + " covering it is issued and mailed at once (license_id). reference is required"
              + " (e.g. the PO or invoice number); amount is optional, e.g. \"1200.00 EUR\"."
              + " ADMIN, SALES.")
  @ApiResponse(responseCode = "201", description = "Recorded, with the license it issued")
  @ApiResponse(responseCode = "400", ref = OpenApiConfiguration.INVALID)
  @ApiResponse(responseCode = "401", ref = OpenApiConfiguration.UNAUTHENTICATED)
  @ApiResponse(responseCode = "403", ref = OpenApiConfiguration.FORBIDDEN)
  @ApiResponse(responseCode = "404", ref = OpenApiConfiguration.NOT_FOUND)
  @ApiResponse(
      responseCode = "409",
      ref = OpenApiConfiguration.CONFLICT,
      description = "The subscription is archived (subscription.archived)")
  PaymentService.Payment record(
      @PathVariable String id, @RequestBody PaymentService.PaymentRequest body) {
    return payments.record(id, body, Actor.current());
  }

  @GetMapping("/api/v1/license-gaps")
  @Operation(
      summary = "List license gaps",
      description =
          "Subscriptions paid beyond their newest license's expiry (paid but not issued). Any"
              + " signed-in role.")
  @ApiResponse(responseCode = "200", description = "The gaps; empty when all is issued")
  @ApiResponse(responseCode = "401", ref = OpenApiConfiguration.UNAUTHENTICATED)
  List<LicenseGaps.Gap> gaps() {
    return new LicenseGaps(jdbc).find(clock.instant());
  }

  /** A contact may mute the early reminders (D-30, D-15); D-1, expiry and lock always go out. */
  @PutMapping("/api/v1/subscriptions/{id}/contacts/{email}/preferences")
  @Transactional
  @Operation(
      summary = "Set a contact's mail preferences",
      description =
          "mute_early_reminders mutes D-30 and D-15 for that contact; D-1, expiry and lock always"
              + " go out. ADMIN, SALES, SUPPORT.")
  @ApiResponse(responseCode = "200", description = "The stored preference")
  @ApiResponse(responseCode = "400", ref = OpenApiConfiguration.INVALID)
  @ApiResponse(responseCode = "401", ref = OpenApiConfiguration.UNAUTHENTICATED)
  @ApiResponse(responseCode = "403", ref = OpenApiConfiguration.FORBIDDEN)
  @ApiResponse(
      responseCode = "404",
      ref = OpenApiConfiguration.NOT_FOUND,
      description = "No such subscription, or the e-mail is not one of its contacts")
  Map<String, Object> preferences(
      @PathVariable String id, @PathVariable String email, @RequestBody Preferences body) {
    Validator v = new Validator();
    v.check(body.muteEarlyReminders() != null, "mute_early_reminders", "is required");
    v.throwIfAny();
    String stored =
        preferences.muteEarlyReminders(
            subscriptions.get(id), email, body.muteEarlyReminders(), Actor.current().name());
    return Map.of("email", stored, "mute_early_reminders", body.muteEarlyReminders());
  }

  /** Runs a sweep and the delivery worker now (after moving the test clock, for instance). */
  @PostMapping("/api/v1/automation/run")
  @Operation(
      summary = "Run the sweep and the delivery worker now",
      description =
          "What the scheduler does every few minutes, at once (after moving the test clock, for"
              + " instance). Answers how many subscriptions were swept and messages delivered, with"
              + " elapsed milliseconds. ADMIN.")
  @ApiResponse(responseCode = "200", description = "swept, sweep_ms, delivered, delivery_ms")
  @ApiResponse(responseCode = "401", ref = OpenApiConfiguration.UNAUTHENTICATED)
  @ApiResponse(responseCode = "403", ref = OpenApiConfiguration.FORBIDDEN)
  Map<String, Object> runNow(
      @Parameter(description = "false: sweep only, leave the outbox for the worker")
          @RequestParam(defaultValue = "true")
          boolean deliver) {
    // Elapsed times (not instants), for the operator and the benchmark.
    long start = System.nanoTime();
    int swept = sweep.run();
    long sweptAt = System.nanoTime();
    int delivered = deliver ? deliveries.runOnce() : 0;
    long end = System.nanoTime();
    return Map.of(
        "swept",
        swept,
        "sweep_ms",
        (sweptAt - start) / 1_000_000,
        "delivered",
        delivered,
        "delivery_ms",
        (end - sweptAt) / 1_000_000);
  }
}
