package dev.keyturn.server.portal;

import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.config.KeyturnProperties;
import dev.keyturn.server.notify.Notifier;
import dev.keyturn.server.subscription.Subscription;
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
  private final Notifier notifier;
  private final EventLog events;
  private final KeyturnProperties properties;

  SignInLinks(
      SignInLimiter limiter,
      SignInTokens tokens,
      ContactDirectory contacts,
      Notifier notifier,
      EventLog events,
      KeyturnProperties properties) {
    this.limiter = limiter;
    this.tokens = tokens;
    this.contacts = contacts;
    this.notifier = notifier;
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
    notifier.signInLink(address, link, SignInTokens.LIFETIME, subscriptions.get(0).id());
    for (Subscription s : subscriptions) {
      events.record(
          "portal.sign_in_link_sent", "contact:" + address, s.id(), null, Map.of("ip", ip));
    }
  }
}
