package dev.keyturn.server.renewal.internal;

import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.renewal.RenewalQueue;
import dev.keyturn.server.web.OpenApiConfiguration;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Renewal requests over HTTP ({@link RenewalQueue}). */
@RestController
@Tag(name = "Renewal requests", description = "The product's Renew button and SALES' queue")
class RenewalRequestController {
  private final RenewalQueue queue;

  RenewalRequestController(RenewalQueue queue) {
    this.queue = queue;
  }

  /** The answer's body: the request's id and a message to show the person. */
  record Created(String id, String message) {}

  @PostMapping("/api/v1/renewal-requests")
  @Operation(
      summary = "Request a renewal",
      description =
          "From the product's Renew button with its license token (Bearer kt_lic_…), or by staff"
              + " (then subscription_id is required). The server's own data wins over what is"
              + " sent: customer reference, current expiry and tier come from the subscription and"
              + " license. Emits renewal.requested (event and outbound webhook). While a request"
              + " from the same source is open, the same one is answered (200).",
      security = {
        @SecurityRequirement(name = OpenApiConfiguration.LICENSE_TOKEN),
        @SecurityRequirement(name = OpenApiConfiguration.BASIC),
        @SecurityRequirement(name = OpenApiConfiguration.TOKEN)
      })
  @ApiResponse(responseCode = "201", description = "Opened; a message to show the person")
  @ApiResponse(responseCode = "200", description = "One is already open: its id")
  @ApiResponse(responseCode = "400", ref = OpenApiConfiguration.INVALID)
  @ApiResponse(responseCode = "401", ref = OpenApiConfiguration.UNAUTHENTICATED)
  @ApiResponse(
      responseCode = "403",
      ref = OpenApiConfiguration.FORBIDDEN,
      description = "The license was revoked (license.revoked)")
  @ApiResponse(responseCode = "404", ref = OpenApiConfiguration.NOT_FOUND)
  @ApiResponse(responseCode = "409", ref = OpenApiConfiguration.CONFLICT)
  ResponseEntity<Created> create(
      @RequestBody(required = false) RenewalQueue.RenewalRequestBody body,
      @Parameter(hidden = true) @AuthenticationPrincipal Object principal) {
    // A license token (the Renew button) authenticates as its license; see RenewalTokens.
    RenewalQueue.Answer a =
        queue.create(body, principal instanceof LicenseRecord license ? license : null);
    return ResponseEntity.status(a.created() ? HttpStatus.CREATED : HttpStatus.OK)
        .body(new Created(a.id(), a.message()));
  }

  @GetMapping("/api/v1/renewal-requests")
  @Operation(
      summary = "List renewal requests (SALES' queue)",
      description = "Oldest first, at most 1000. Any signed-in role.")
  @ApiResponse(responseCode = "200", description = "The requests")
  @ApiResponse(responseCode = "400", ref = OpenApiConfiguration.INVALID)
  @ApiResponse(responseCode = "401", ref = OpenApiConfiguration.UNAUTHENTICATED)
  public List<RenewalQueue.RenewalRequest> list(
      @Parameter(description = "open or closed; both when absent") @RequestParam(required = false)
          String state,
      @RequestParam(name = "subscription_id", required = false) String subscriptionId) {
    return queue.list(state, subscriptionId);
  }

  @PostMapping("/api/v1/renewal-requests/{id}/close")
  @Operation(
      summary = "Close a renewal request",
      description = "When it has been dealt with. ADMIN, SALES, SUPPORT.")
  @ApiResponse(responseCode = "200", description = "Closed")
  @ApiResponse(responseCode = "401", ref = OpenApiConfiguration.UNAUTHENTICATED)
  @ApiResponse(responseCode = "403", ref = OpenApiConfiguration.FORBIDDEN)
  @ApiResponse(responseCode = "404", ref = OpenApiConfiguration.NOT_FOUND)
  @ApiResponse(
      responseCode = "409",
      ref = OpenApiConfiguration.CONFLICT,
      description = "Already closed (conflict)")
  public RenewalQueue.Closed close(
      @PathVariable String id, @RequestBody(required = false) RenewalQueue.CloseRequest body) {
    return queue.close(id, body);
  }
}
