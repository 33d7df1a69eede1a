package dev.keyturn.server.payment.internal;

import dev.keyturn.server.payment.PaymentService;
import dev.keyturn.server.security.Actor;
import dev.keyturn.server.web.OpenApiConfiguration;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Payments recorded by hand (offline, purchase order, bank transfer). */
@RestController
@Tag(name = "Payments", description = "Payments recorded by hand, license gaps, the automation")
class PaymentController {
  private final PaymentService payments;

  PaymentController(PaymentService payments) {
    this.payments = payments;
  }

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
}
