package dev.keyturn.server.audit;

import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.jdbc.MultiRowInsert;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The append-only audit log. Written in the caller's transaction, so an event exists exactly when
 * the change it describes does.
 */
@Component
public class EventLog {
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  /** An event to record with {@link #recordAll}. */
  public record Entry(
      String type,
      String actor,
      String subscriptionId,
      String licenseId,
      Map<String, ?> metadata) {}

  private final JdbcClient jdbc;
  private final JdbcTemplate batch;
  private final Clock clock;
  private final JsonMapper json;
  private final ObjectProvider<EventListener> listeners;

  EventLog(
      JdbcClient jdbc,
      JdbcTemplate batch,
      Clock clock,
      JsonMapper json,
      ObjectProvider<EventListener> listeners) {
    this.jdbc = jdbc;
    this.batch = batch;
    this.clock = clock;
    this.json = json;
    this.listeners = listeners;
  }

  public void record(
      String type, String actor, String subscriptionId, String licenseId, Map<String, ?> metadata) {
    jdbc.sql(
            "insert into events (occurred_at, type, actor, subscription_id, license_id, metadata)"
                + " values (?, ?, ?, ?, ?, ?)")
        .params(
            Db.ts(clock.instant()),
            type,
            actor,
            subscriptionId,
            licenseId,
            json.writeValueAsString(metadata))
        .update();
    listeners.forEach(l -> l.recorded(type, subscriptionId, licenseId, metadata));
  }

  /** Records many events with a few statements (the sweep's batches), then tells the listeners. */
  public void recordAll(List<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    Object at = Db.ts(clock.instant());
    List<Object[]> rows = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      rows.add(
          new Object[] {
            at,
            e.type(),
            e.actor(),
            e.subscriptionId(),
            e.licenseId(),
            json.writeValueAsString(e.metadata())
          });
    }
    MultiRowInsert.insert(
        batch,
        "insert into events (occurred_at, type, actor, subscription_id, license_id, metadata)",
        "(?, ?, ?, ?, ?, ?)",
        "",
        rows);
    for (Entry e : entries) {
      listeners.forEach(l -> l.recorded(e.type(), e.subscriptionId(), e.licenseId(), e.metadata()));
    }
  }

  public List<Event> find(EventQuery q) {
    StringBuilder sql = new StringBuilder("select * from events where 1 = 1");
    List<Object> params = new ArrayList<>();
    if (q.type() != null) {
      sql.append(" and type = ?");
      params.add(q.type());
    }
    if (q.subscriptionId() != null) {
      sql.append(" and subscription_id = ?");
      params.add(q.subscriptionId());
    }
    if (q.licenseId() != null) {
      sql.append(" and license_id = ?");
      params.add(q.licenseId());
    }
    if (q.actor() != null) {
      sql.append(" and actor = ?");
      params.add(q.actor());
    }
    if (q.since() != null) {
      sql.append(" and occurred_at >= ?");
      params.add(Db.ts(q.since()));
    }
    if (q.until() != null) {
      sql.append(" and occurred_at < ?");
      params.add(Db.ts(q.until()));
    }
    if (q.beforeId() != null) {
      sql.append(" and id < ?");
      params.add(q.beforeId());
    }
    sql.append(" order by id desc limit ").append(q.limit());
    return jdbc.sql(sql.toString()).params(params).query(this::map).list();
  }

  private Event map(ResultSet rs, int row) throws SQLException {
    return new Event(
        rs.getLong("id"),
        Db.instant(rs, "occurred_at"),
        rs.getString("type"),
        rs.getString("actor"),
        rs.getString("subscription_id"),
        rs.getString("license_id"),
        json.readValue(rs.getString("metadata"), MAP));
  }
}
