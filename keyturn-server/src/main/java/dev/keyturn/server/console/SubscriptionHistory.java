package dev.keyturn.server.console;

import dev.keyturn.server.audit.Event;
import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.audit.EventQuery;
import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.lifecycle.Sweep;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A subscription's timeline: every audited event, every lifecycle notice the sweep claimed and
 * every mail sent for it, newest first. Notices come from {@code notices}, the exactly-once record
 * itself (not repeated as events); mails are the notices as the customer received them (subject and
 * recipient).
 */
@Component
class SubscriptionHistory {
  static final int LIMIT = 200;

  private final EventLog events;
  private final JdbcClient jdbc;

  SubscriptionHistory(EventLog events, JdbcClient jdbc) {
    this.events = events;
    this.jdbc = jdbc;
  }

  /**
   * @param kind {@code event}, {@code notice} or {@code mail}
   */
  public record Entry(
      Instant at, String when, String kind, String title, String actor, String detail) {}

  List<Entry> of(String subscriptionId) {
    List<Entry> entries = new ArrayList<>();
    for (Event e :
        events.find(new EventQuery(null, subscriptionId, null, null, null, null, null, LIMIT))) {
      entries.add(
          new Entry(
              e.occurredAt(),
              Dates.minute(e.occurredAt()),
              "event",
              e.type(),
              e.actor(),
              describe(e)));
    }
    entries.addAll(
        jdbc.sql(
                "select sent_at, license_id, stage, channel from notices where subscription_id = ?"
                    + " order by sent_at desc limit ?")
            .params(subscriptionId, LIMIT)
            .query(
                (rs, n) -> {
                  Instant at = Db.instant(rs, "sent_at");
                  return new Entry(
                      at,
                      Dates.minute(at),
                      "notice",
                      "notice " + rs.getString("stage") + " (" + rs.getString("channel") + ")",
                      Sweep.ACTOR,
                      "license " + rs.getString("license_id"));
                })
            .list());
    entries.addAll(
        jdbc.sql(
                "select sent_at, recipient, subject from mails where subscription_id = ? order by"
                    + " id desc limit ?")
            .params(subscriptionId, LIMIT)
            .query(
                (rs, n) -> {
                  Instant at = Db.instant(rs, "sent_at");
                  return new Entry(
                      at,
                      Dates.minute(at),
                      "mail",
                      "mail sent: " + rs.getString("subject"),
                      "to " + rs.getString("recipient"),
                      "");
                })
            .list());
    entries.sort(Comparator.comparing(Entry::at).reversed());
    return entries;
  }

  private static String describe(Event e) {
    String details =
        e.metadata().entrySet().stream()
            .filter(m -> m.getValue() != null)
            .map(Map.Entry::toString)
            .collect(Collectors.joining(", "));
    return e.licenseId() == null
        ? details
        : "license " + e.licenseId() + (details.isEmpty() ? "" : "; " + details);
  }
}
