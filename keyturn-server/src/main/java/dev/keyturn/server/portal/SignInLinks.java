package dev.keyturn.server.portal;

import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.config.KeyturnProperties;
import dev.keyturn.server.delivery.MailMessage;
import dev.keyturn.server.delivery.Outbox;
import dev.keyturn.server.notify.MailRenderer;
import dev.keyturn.server.subscription.Subscription;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Asking for a sign-in link: rate-limited, and mailed through the outbox (so it survives a restart
 * and shows in the mail log) only when the address is a contact. The caller answers the same either
 * way.
 */
@Component
class SignInLinks {
  static final String PATH = PortalSecurity.HOME + "/sign-in";

  private final SignInLimiter limiter;
  private final SignInTokens tokens;
  private final ContactDirectory contacts;
  private final MailRenderer renderer;
  private final Outbox outbox;
  private final EventLog events;
  private final KeyturnProperties properties;

  SignInLinks(
      SignInLimiter limiter,
      SignInTokens tokens,
      ContactDirectory contacts,
      MailRenderer renderer,
      Outbox outbox,
      EventLog events,
      KeyturnProperties properties) {
    this.limiter = limiter;
    this.tokens = tokens;
    this.contacts = contacts;
    this.renderer = renderer;
    this.outbox = outbox;
    this.events = events;
    this.properties = properties;
  }

  /** Throws {@code RATE_LIMITED} when too many were asked for; otherwise says nothing. */
  @Transactional
  void request(String email, String ip) {
    String address = ContactDirectory.normalize(email);
    limiter.acquire(address, ip);
    List<Subscription> subscriptions = contacts.subscriptionsOf(address);
    if (subscriptions.isEmpty()) {
      return;
    }
    String link = properties.publicUrl() + PATH + "?token=" + tokens.issue(address);
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("email", address);
    vars.put("link", link);
    vars.put("minutes", SignInTokens.LIFETIME.toMinutes());
    MailRenderer.Rendered r = renderer.render("portal-sign-in", vars);
    String first = subscriptions.get(0).id();
    outbox.mail(
        new MailMessage(
            address, "Your sign-in link to the customer portal", r.text(), r.html(), null, null),
        "portal.sign_in_link",
        first);
    for (Subscription s : subscriptions) {
      events.record(
          "portal.sign_in_link_sent", "contact:" + address, s.id(), null, Map.of("ip", ip));
    }
  }
}
