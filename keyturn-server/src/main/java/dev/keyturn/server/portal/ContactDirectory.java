package dev.keyturn.server.portal;

import dev.keyturn.server.subscription.Contacts;
import dev.keyturn.server.subscription.Subscription;
import dev.keyturn.server.subscription.Subscriptions;
import dev.keyturn.server.web.KeyturnServerException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Which subscriptions an address is a contact of (admin or billing), live ones only. Every portal
 * page goes through here, and a subscription the contact is not on is "not found", exactly like one
 * that does not exist: the portal never says that another customer's subscription exists.
 */
@Component
class ContactDirectory {
  private final JdbcClient jdbc;
  private final Subscriptions subscriptions;

  ContactDirectory(JdbcClient jdbc, Subscriptions subscriptions) {
    this.jdbc = jdbc;
    this.subscriptions = subscriptions;
  }

  static String normalize(String email) {
    return email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
  }

  static boolean isContact(Subscription s, String email) {
    Contacts c = s.fields().contacts();
    return Stream.concat(c.adminEmails().stream(), c.billingEmails().stream())
        .anyMatch(e -> e.equalsIgnoreCase(email));
  }

  List<Subscription> subscriptionsOf(String email) {
    String normalized = normalize(email);
    if (normalized.isEmpty()) {
      return List.of();
    }
    // Contacts are stored as JSON arrays: a LIKE narrows the rows, the exact test decides.
    String like = "%\"" + escapeLike(normalized) + "\"%";
    return jdbc
        .sql(
            "select id from subscriptions where archived_at is null and (lower(admin_emails) like ?"
                + " escape '\\' or lower(billing_emails) like ? escape '\\')")
        .params(like, like)
        .query(String.class)
        .list()
        .stream()
        .flatMap(id -> subscriptions.find(id).stream())
        .filter(s -> isContact(s, normalized))
        .sorted(Comparator.comparing((Subscription s) -> s.fields().displayName()))
        .toList();
  }

  /** The subscription, when the contact is on it; otherwise the same "not found" as a bad id. */
  Subscription subscriptionOf(PortalContact contact, String id) {
    return Optional.ofNullable(id)
        .flatMap(subscriptions::find)
        .filter(s -> !s.archived() && isContact(s, contact.email()))
        .orElseThrow(() -> KeyturnServerException.notFound("subscription", id));
  }

  private static String escapeLike(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
