package dev.keyturn.server.subscription;

import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.web.KeyturnServerException;
import java.time.Clock;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Which contacts have muted the early reminders (D-30, D-15). There is nothing else to mute: D-1,
 * expiry and lock always go out, so a preference can never silence them.
 */
@Component
public class ContactPreferences {
  private final JdbcClient jdbc;
  private final Clock clock;
  private final EventLog events;

  ContactPreferences(JdbcClient jdbc, Clock clock, EventLog events) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.events = events;
  }

  /**
   * Sets the contact's preference (audited as {@code actor}) and returns the address as the
   * subscription spells it; "not found" when it is not one of the subscription's contacts.
   */
  public String muteEarlyReminders(Subscription s, String email, boolean mute, String actor) {
    String normalized = email.strip().toLowerCase(Locale.ROOT);
    Contacts c = s.fields().contacts();
    String stored =
        Stream.concat(c.adminEmails().stream(), c.billingEmails().stream())
            .filter(e -> e.equalsIgnoreCase(normalized))
            .findFirst()
            .orElseThrow(() -> KeyturnServerException.notFound("contact of " + s.id(), email));
    jdbc.sql("delete from contact_preferences where subscription_id = ? and email = ?")
        .params(s.id(), stored)
        .update();
    jdbc.sql(
            "insert into contact_preferences (subscription_id, email, mute_early_reminders,"
                + " updated_at) values (?, ?, ?, ?)")
        .params(s.id(), stored, mute, Db.ts(clock.instant()))
        .update();
    events.record(
        "contact.preferences_changed",
        actor,
        s.id(),
        null,
        Map.of("email", stored, "mute_early_reminders", mute));
    return stored;
  }

  /** The contacts (as the subscription spells them) who muted the early reminders. */
  public Set<String> mutedEarlyReminders(String subscriptionId) {
    return Set.copyOf(
        jdbc.sql(
                "select email from contact_preferences where subscription_id = ? and"
                    + " mute_early_reminders = true")
            .param(subscriptionId)
            .query(String.class)
            .list());
  }

  /**
   * The contacts of each subscription that muted the early reminders, in one query (the sweep's
   * batches).
   */
  public Map<String, Set<String>> mutedEarlyReminders(Collection<String> subscriptionIds) {
    Map<String, Set<String>> muted = new HashMap<>();
    if (subscriptionIds.isEmpty()) {
      return muted;
    }
    jdbc.sql(
            "select subscription_id, email from contact_preferences where subscription_id in ("
                + String.join(", ", Collections.nCopies(subscriptionIds.size(), "?"))
                + ") and mute_early_reminders = true")
        .params(List.copyOf(subscriptionIds))
        .query(
            rs -> {
              muted.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
            });
    return muted;
  }
}
