package dev.keyturn.server.portal;

import dev.keyturn.server.renewal.RenewalRequests;
import dev.keyturn.server.subscription.ContactPreferences;
import dev.keyturn.server.subscription.Subscription;
import dev.keyturn.server.subscription.SubscriptionService;
import dev.keyturn.server.web.ValidationException;
import dev.keyturn.server.web.Validator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** What a contact can do: ask for a renewal, choose who gets the early reminders. Audited. */
@Controller
class PortalActions {
  /** The renewal-request source of requests sent from the portal. */
  static final String SOURCE = "PORTAL";

  /** The only reminders a contact may mute: D-30 and D-15 (see {@link ContactPreferences}). */
  static final String EARLY = "early";

  private final ContactDirectory contacts;
  private final PortalPages pages;
  private final RenewalRequests renewals;
  private final ContactPreferences preferences;
  private final SubscriptionService subscriptions;

  PortalActions(
      ContactDirectory contacts,
      PortalPages pages,
      RenewalRequests renewals,
      ContactPreferences preferences,
      SubscriptionService subscriptions) {
    this.subscriptions = subscriptions;
    this.contacts = contacts;
    this.pages = pages;
    this.renewals = renewals;
    this.preferences = preferences;
  }

  @PostMapping(PortalController.SUBSCRIPTIONS + "/{id}/renewal-request")
  @Transactional
  String renew(
      @PathVariable String id,
      @RequestParam(defaultValue = "") String message,
      RedirectAttributes redirect) {
    PortalContact me = PortalContact.current();
    Subscription s = contacts.subscriptionOf(me, id);
    Validator v = new Validator();
    v.text(message, "message", 2000, false);
    v.throwIfAny();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("contact_email", me.email());
    details.put("customer_as_sent", s.fields().displayName());
    RenewalRequests.Opened opened =
        renewals.open(
            s,
            pages.current(s).orElse(null),
            SOURCE,
            me.actor(),
            message.isBlank() ? null : message.strip(),
            details);
    redirect.addFlashAttribute(
        "flash",
        opened.created()
            ? "Thank you: our sales team has your renewal request and will contact you."
            : "Your renewal request is already with our sales team; we'll be in touch.");
    return "redirect:" + PortalController.SUBSCRIPTIONS + "/" + s.id();
  }

  /**
   * Releases the installation that holds the subscription (a replaced or reinstalled server), so
   * the next installation to check in binds it; audited as {@code instance.released} by the
   * contact.
   */
  @PostMapping(PortalController.SUBSCRIPTIONS + "/{id}/installations/release")
  String release(
      @PathVariable String id,
      @RequestParam(defaultValue = "") String installation,
      @RequestParam(defaultValue = "") String reason,
      RedirectAttributes redirect) {
    PortalContact me = PortalContact.current();
    Subscription s = contacts.subscriptionOf(me, id);
    subscriptions.releaseInstance(s.id(), installation, reason, me.actor());
    redirect.addFlashAttribute(
        "flash",
        "Installation "
            + installation
            + " released: the next installation of the product to check in takes the license.");
    return "redirect:" + PortalController.SUBSCRIPTIONS + "/" + s.id();
  }

  /**
   * Mutes or unmutes the early reminders of one of the subscription's contacts. Anything but the
   * early reminders is refused: D-1, expiry and lock always go out, whatever a form sends.
   */
  @PostMapping(PortalController.SUBSCRIPTIONS + "/{id}/reminders")
  @Transactional
  String reminders(
      @PathVariable String id,
      @RequestParam(defaultValue = "") String email,
      @RequestParam(name = "mute", required = false) List<String> mute,
      RedirectAttributes redirect) {
    PortalContact me = PortalContact.current();
    Subscription s = contacts.subscriptionOf(me, id);
    List<String> stages = mute == null ? List.of() : mute;
    if (stages.stream().anyMatch(m -> !m.equals(EARLY))) {
      throw ValidationException.of(
          "mute",
          "only the early reminders (D-30, D-15) can be muted; the D-1, expiry and lock"
              + " notices always go out");
    }
    boolean muted = !stages.isEmpty();
    String stored = preferences.muteEarlyReminders(s, email, muted, me.actor());
    redirect.addFlashAttribute(
        "flash",
        stored
            + (muted
                ? " no longer gets the early reminders (D-30, D-15); D-1, expiry and lock"
                    + " notices still go out."
                : " gets every reminder again."));
    return "redirect:" + PortalController.SUBSCRIPTIONS + "/" + s.id();
  }
}
