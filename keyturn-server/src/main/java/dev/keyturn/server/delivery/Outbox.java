package dev.keyturn.server.delivery;

import dev.keyturn.server.delivery.internal.ExpiredLinkPurge;
import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.jdbc.MultiRowInsert;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
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
  private final ExpiredLinkPurge linkPurge;

  public Outbox(JdbcTemplate jdbc, Clock clock, JsonMapper json, ExpiredLinkPurge linkPurge) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.json = json;
    this.linkPurge = linkPurge;
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

  /**
   * Inserts the entries with a few multi-row statements. A mail holding a one-time sign-in link is
   * inserted alone, for its id: the purge masks the link's token in it later ({@link
   * ExpiredLinkPurge}).
   */
  public void enqueue(List<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    List<Object[]> rows = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      Object[] row = {
        e.kind(),
        e.target(),
        e.eventType(),
        e.subscriptionId(),
        e.endpointId(),
        e.payload(),
        Db.ts(now),
        Db.ts(now)
      };
      if (MAIL.equals(e.kind()) && ExpiredLinkPurge.holdsLink(e.payload())) {
        linkPurge.track(insertOne(row), now);
      } else {
        rows.add(row);
      }
    }
    if (!rows.isEmpty()) {
      MultiRowInsert.insert(jdbc, INTO, ROW, "", rows);
    }
  }

  private static final String INTO =
      "insert into outbox (kind, target, event_type, subscription_id, endpoint_id, payload,"
          + " state, attempts, next_attempt_at, created_at)";
  private static final String ROW = "(?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)";

  private long insertOne(Object[] row) {
    GeneratedKeyHolder key = new GeneratedKeyHolder();
    jdbc.update(
        connection -> {
          PreparedStatement ps =
              connection.prepareStatement(INTO + " values " + ROW, new String[] {"id"});
          MultiRowInsert.bind(List.<Object[]>of(row)).setValues(ps);
          return ps;
        },
        key);
    return Objects.requireNonNull(key.getKey(), "the new outbox row's id").longValue();
  }
}
