package dev.keyturn.server.billing.internal;

import dev.keyturn.server.billing.PortalLinks;
import dev.keyturn.server.subscription.SubscriptionService;
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
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.view.RedirectView;

/**
 * Billing Portal sessions: for staff through the API, for customers through the signed link in
 * their mails. Either way the Stripe call happens here, on request, never while an event is being
 * handled.
 */
@Controller
@Tag(name = "Billing", description = "Stripe webhooks, Billing Portal sessions, unmatched events")
class BillingPortalController {
  private static final Logger log = LoggerFactory.getLogger(BillingPortalController.class);

  private final BillingPortal portal;
  private final PortalLinks links;
  private final SubscriptionService subscriptions;

  BillingPortalController(
      BillingPortal portal, PortalLinks links, SubscriptionService subscriptions) {
    this.portal = portal;
    this.links = links;
    this.subscriptions = subscriptions;
  }

  record PortalSession(
      @Schema(description = "Stripe's page; valid for a few minutes") String url) {}

  @PostMapping("/api/v1/subscriptions/{id}/billing-portal")
  @ResponseBody
  @Operation(
      summary = "Open a Stripe Billing Portal session for a subscription",
      description =
          "Creates a session through Stripe's API for the subscription's stripe_customer_id and"
              + " returns its URL, to hand to the customer at once (sessions expire within"
              + " minutes). ADMIN, SALES, SUPPORT.")
  @ApiResponse(responseCode = "200", description = "The session's URL")
  @ApiResponse(responseCode = "401", ref = OpenApiConfiguration.UNAUTHENTICATED)
  @ApiResponse(responseCode = "403", ref = OpenApiConfiguration.FORBIDDEN)
  @ApiResponse(responseCode = "404", ref = OpenApiConfiguration.NOT_FOUND)
  @ApiResponse(
      responseCode = "409",
      ref = OpenApiConfiguration.CONFLICT,
      description = "The subscription has no stripe_customer_id (conflict)")
  @ApiResponse(responseCode = "502", ref = OpenApiConfiguration.STRIPE_FAILED)
  @ApiResponse(responseCode = "503", ref = OpenApiConfiguration.STRIPE_NOT_CONFIGURED)
  PortalSession billingPortal(@PathVariable String id) {
    return new PortalSession(portal.sessionUrl(subscriptions.get(id)));
  }

  /** The signed link in mails: a fresh session, then Stripe's page; else a page saying why not. */
  @GetMapping("/billing/portal/{id}")
  @Operation(
      summary = "Follow a Billing Portal link from a mail",
      description =
          "The link in payment-failed and reminder mails. Checks the signature, creates a Billing"
              + " Portal session then and redirects the browser to it. Anyone holding the link may"
              + " follow it; failures answer an HTML page for people.")
  @SecurityRequirements // none: the signed link is the credential
  @ApiResponse(responseCode = "303", description = "To Stripe's Billing Portal page")
  @ApiResponse(
      responseCode = "404",
      description = "Wrong signature or no such subscription",
      content = @Content(mediaType = "text/html"))
  @ApiResponse(
      responseCode = "409",
      description = "The subscription is not billed through Stripe",
      content = @Content(mediaType = "text/html"))
  @ApiResponse(
      responseCode = "502",
      description = "Stripe refused or did not answer",
      content = @Content(mediaType = "text/html"))
  @ApiResponse(
      responseCode = "503",
      description = "Stripe is not set up on this server",
      content = @Content(mediaType = "text/html"))
  ModelAndView portalLink(
      @PathVariable String id,
      @Parameter(description = "The link's signature, as the mail carries it")
          @RequestParam(required = false)
          String sig,
      @Parameter(description = "When the link expires (Unix seconds), as the mail carries it")
          @RequestParam(required = false)
          Long exp) {
    if (!links.valid(id, sig, exp)) {
      return unavailable(
          ErrorCode.NOT_FOUND,
          "This billing link is not valid",
          "The link may have expired (links work for 45 days), or been cut short by your mail"
              + " program. Open the latest mail from your vendor, or ask them for a new link.");
    }
    try {
      RedirectView redirect = new RedirectView(portal.sessionUrl(subscriptions.get(id)));
      redirect.setStatusCode(HttpStatus.SEE_OTHER);
      return new ModelAndView(redirect);
    } catch (KeyturnServerException e) {
      log.warn("billing portal link for {} not followed: {}", id, e.getMessage());
      return switch (e.code()) {
        case NOT_FOUND ->
            unavailable(
                e.code(),
                "This billing link is not valid",
                "The subscription it names no longer exists. Please contact your vendor.");
        case STRIPE_NOT_CONFIGURED ->
            unavailable(
                e.code(),
                "Online billing is not available",
                "This server cannot open the billing portal. Please contact your vendor to"
                    + " update your payment method.");
        case CONFLICT ->
            unavailable(
                e.code(),
                "No online billing for this subscription",
                "This subscription is not billed online. Please contact your vendor to update"
                    + " your payment method.");
        default ->
            unavailable(
                e.code(),
                "The billing portal did not open",
                "Our payment provider did not answer as expected. Please try again in a few"
                    + " minutes.");
      };
    }
  }

  private static ModelAndView unavailable(ErrorCode code, String title, String message) {
    ModelAndView page =
        new ModelAndView(
            "billing/portal-unavailable",
            Map.of("title", title, "message", message, "code", code.code()));
    page.setStatus(code.status());
    return page;
  }
}
