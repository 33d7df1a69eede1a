package dev.keyturn.server.delivery;

import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.jdbc.MultiRowInsert;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The transactional outbox: callers enqueue inside the transaction of the change they announce, so
 * a delivery exists exactly when the change does; {@link DeliveryWorker} sends it later.
 */
@Component
public class Outbox {
  public static final String MAIL = "MAIL";
  public static final String WEBHOOK = "WEBHOOK";

  /** A delivery to enqueue; the sweep gathers a batch's entries and enqueues them together. */
  public record Entry(
      String kind,
      String target,
      String eventType,
      String subscriptionId,
      String endpointId,
      String payload) {}

  private final JdbcTemplate jdbc;
  private final Clock clock;
  private final JsonMapper json;

  public Outbox(JdbcTemplate jdbc, Clock clock, JsonMapper json) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.json = json;
  }

  public void mail(MailMessage message, String eventType, String subscriptionId) {
    enqueue(List.of(mailEntry(message, eventType, subscriptionId)));
  }

  /**
   * @param body the exact JSON body to sign and post
   */
  public void webhook(
      String endpointId, String url, String eventType, String subscriptionId, String body) {
    enqueue(List.of(webhookEntry(endpointId, url, eventType, subscriptionId, body)));
  }

  public Entry mailEntry(MailMessage message, String eventType, String subscriptionId) {
    return new Entry(
        MAIL, message.to(), eventType, subscriptionId, null, json.writeValueAsString(message));
  }

  public static Entry webhookEntry(
      String endpointId, String url, String eventType, String subscriptionId, String body) {
    return new Entry(WEBHOOK, url, eventType, subscriptionId, endpointId, body);
  }

  /** Inserts the entries with a few multi-row statements. */
  public void enqueue(List<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    Object now = Db.ts(clock.instant());
    List<Object[]> rows = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      rows.add(
          new Object[] {
            e.kind(),
            e.target(),
            e.eventType(),
            e.subscriptionId(),
            e.endpointId(),
            e.payload(),
            now,
            now
          });
    }
    MultiRowInsert.insert(
        jdbc,
        "insert into outbox (kind, target, event_type, subscription_id, endpoint_id, payload,"
            + " state, attempts, next_attempt_at, created_at)",
        "(?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)",
        "",
        rows);
  }
}
