package dev.keyturn.server.portal;

import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.license.LicenseFile;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.subscription.Subscription;
import dev.keyturn.server.usage.UsageHistory;
import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.KeyturnServerException;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** What a signed-in contact sees: their subscriptions, each one's standing and licenses. */
@Controller
class PortalController {
  static final String SUBSCRIPTIONS = PortalSecurity.HOME + "/subscriptions";

  private final ContactDirectory contacts;
  private final PortalPages pages;
  private final EventLog events;
  private final UsageHistory usage;

  PortalController(
      ContactDirectory contacts, PortalPages pages, EventLog events, UsageHistory usage) {
    this.contacts = contacts;
    this.pages = pages;
    this.events = events;
    this.usage = usage;
  }

  /** How far back the portal's usage chart reaches. */
  static final int USAGE_DAYS = 90;

  @GetMapping(SUBSCRIPTIONS)
  String list(Model model) {
    PortalContact me = PortalContact.current();
    model.addAttribute(
        "subscriptions", pages.summaries(contacts.subscriptionsOf(me.email()), me.zone()));
    return "portal/subscriptions";
  }

  @GetMapping(SUBSCRIPTIONS + "/{id}")
  String subscription(@PathVariable String id, Model model) {
    PortalContact me = PortalContact.current();
    Subscription s = contacts.subscriptionOf(me, id);
    model.addAttribute("page", pages.page(s, me.zone()));
    model.addAttribute("usageChart", usage.recentChart(s.id(), USAGE_DAYS));
    model.addAttribute("installations", usage.installations(s.id()));
    return "portal/subscription";
  }

  /** The signed file, byte for byte as issued: the product (or an air-gapped admin) installs it. */
  @GetMapping(SUBSCRIPTIONS + "/{id}/licenses/{licenseId}/download")
  @Transactional
  ResponseEntity<String> download(@PathVariable String id, @PathVariable String licenseId) {
    PortalContact me = PortalContact.current();
    Subscription s = contacts.subscriptionOf(me, id);
    LicenseRecord license =
        pages
            .license(s, licenseId)
            .orElseThrow(() -> KeyturnServerException.notFound("license", licenseId));
    events.record("portal.license_downloaded", me.actor(), s.id(), license.id(), Map.of());
    return LicenseFile.download(license);
  }

  /**
   * To the billing issue's signed Billing Portal link, audited. A plain link (not a form): the
   * portal's CSP {@code form-action 'self'} would stop a form's redirect to Stripe.
   */
  @GetMapping(SUBSCRIPTIONS + "/{id}/billing")
  @Transactional
  String billing(@PathVariable String id) {
    PortalContact me = PortalContact.current();
    Subscription s = contacts.subscriptionOf(me, id);
    String link =
        pages
            .billingLink(s)
            .orElseThrow(
                () ->
                    new KeyturnServerException(
                        ErrorCode.STRIPE_NOT_CONFIGURED,
                        "Online payment is not set up for this subscription. Send a renewal"
                            + " request and our sales team will get back to you."));
    events.record("portal.billing_portal_opened", me.actor(), s.id(), null, Map.of());
    return "redirect:" + link;
  }
}
