package dev.keyturn.server.lifecycle.internal;

import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.jdbc.Dialect;
import dev.keyturn.server.jdbc.MultiRowInsert;
import dev.keyturn.server.lifecycle.internal.SweepDecision.Channel;
import dev.keyturn.server.lifecycle.internal.SweepDecision.NoticeKey;
import dev.keyturn.server.lifecycle.internal.SweepDecision.State;
import dev.keyturn.server.subscription.SubscriptionCreated;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The lifecycle's tables: the notices sent ({@code notices}) and each subscription's sweep state
 * ({@code subscription_lifecycle}: when it next needs a look, its current license and phase), and
 * the batch reads of the facts the sweep decides on. Every statement of a batch reads by key (see
 * {@link dev.keyturn.server.lifecycle.Sweep}'s plans on stale statistics).
 */
@Component
class SweepStore {
  private static final Duration TRAILING_YEAR = Duration.ofDays(365);
  private static final int STATES_PER_STATEMENT = 1000;

  private final JdbcClient jdbc;
  private final JdbcTemplate batch;
  private final Clock clock;
  private final Dialect dialect;

  SweepStore(JdbcClient jdbc, JdbcTemplate batch, Clock clock, Dialect dialect) {
    this.jdbc = jdbc;
    this.batch = batch;
    this.clock = clock;
    this.dialect = dialect;
  }

  /** The row is made with the subscription, in its transaction. */
  @EventListener
  void onSubscriptionCreated(SubscriptionCreated created) {
    jdbc.sql("insert into subscription_lifecycle (subscription_id) values (?)")
        .param(created.subscriptionId())
        .update();
  }

  /** Every notice already recorded for these subscriptions, on every channel. */
  Set<NoticeKey> notices(List<String> ids) {
    Set<NoticeKey> sent = new HashSet<>();
    jdbc.sql(
            "select subscription_id, license_id, stage, channel from notices where subscription_id"
                + " in ("
                + marks(ids)
                + ")")
        .params(ids)
        .query(
            rs -> {
              Channel channel = Channel.of(rs.getString(4));
              if (channel != null) {
                sent.add(new NoticeKey(rs.getString(1), rs.getString(2), rs.getString(3), channel));
              }
            });
    return sent;
  }

  /**
   * Records the claims with a few multi-row inserts. The row locks make them race-free (the claims
   * were computed from the notices read under the locks); should one still meet an existing row,
   * the unique key skips it and the whole batch is rolled back, to be redone by the next sweep from
   * what is then recorded.
   */
  void claim(List<NoticeKey> keys) {
    Object at = Db.ts(clock.instant());
    List<Object[]> rows = new ArrayList<>(keys.size());
    for (NoticeKey k : keys) {
      rows.add(new Object[] {k.subscriptionId(), k.licenseId(), k.stage(), k.channel().column, at});
    }
    int inserted =
        MultiRowInsert.insert(
            batch,
            "insert into notices (subscription_id, license_id, stage, channel, sent_at)",
            "(?, ?, ?, ?, ?)",
            "on conflict do nothing",
            rows);
    if (inserted != keys.size()) {
      throw new IllegalStateException(
          (keys.size() - inserted)
              + " notice(s) of this batch were recorded meanwhile by another transaction; the"
              + " batch is rolled back and redone by the next sweep");
    }
  }

  /** Grace entries per subscription in the trailing year, before this batch's. */
  Map<String, Long> graceEntries(List<String> ids, Instant now) {
    Map<String, Long> counts = new HashMap<>();
    if (ids.isEmpty()) {
      return counts;
    }
    // One index probe per subscription, reading its events of the trailing year (a few dozen)
    // and counting the grace entries among them. The type is tested in the count, not in the
    // scan: as a scan condition, with statistics that know no grace event yet (a new server's
    // first catch-up), PostgreSQL walks the type index through every grace event for each
    // subscription, and the batches entering grace get slower one after the other.
    List<Object> params = new ArrayList<>();
    params.add(Db.ts(now.minus(TRAILING_YEAR)));
    params.addAll(ids);
    jdbc.sql(
            "select s.id, (select count(*) filter (where e.type = 'license.grace_started') from"
                + " events e where e.subscription_id = s.id and e.occurred_at > ?) from"
                + " subscriptions s where s.id in ("
                + marks(ids)
                + ")")
        .params(params)
        .query(
            rs -> {
              counts.put(rs.getString(1), rs.getLong(2));
            });
    return counts;
  }

  /** A license issued for later (not_before in the future) wakes the sweep when it starts. */
  Map<String, Instant> nextNotBefore(List<String> ids, Instant now) {
    Map<String, Instant> starts = new HashMap<>();
    List<Object> params = new ArrayList<>(ids);
    params.add(Db.ts(now));
    jdbc.sql(
            "select subscription_id, min(not_before) as first_start from licenses where"
                + " subscription_id in ("
                + marks(ids)
                + ") and revoked_at is null and not_before > ? group by subscription_id")
        .params(params)
        .query(
            rs -> {
              starts.put(rs.getString(1), Db.instant(rs, "first_start"));
            });
    return starts;
  }

  /**
   * Writes the batch's new sweep state. On PostgreSQL one {@code update … from (values …)} per
   * {@link #STATES_PER_STATEMENT} subscriptions: planned and executed once, rather than once per
   * row as a JDBC batch is (which H2, without {@code update … from}, still gets).
   */
  void saveStates(List<State> states) {
    if (states.isEmpty()) {
      return;
    }
    if (!dialect.postgres()) {
      batch.batchUpdate(
          "update subscription_lifecycle set next_transition_at = ?, license_id = ?, phase = ?"
              + " where subscription_id = ?",
          new BatchPreparedStatementSetter() {
            @Override
            public void setValues(PreparedStatement ps, int i) throws SQLException {
              bind(ps, 1, states.get(i));
            }

            @Override
            public int getBatchSize() {
              return states.size();
            }
          });
      return;
    }
    for (int from = 0; from < states.size(); from += STATES_PER_STATEMENT) {
      List<State> chunk =
          states.subList(from, Math.min(states.size(), from + STATES_PER_STATEMENT));
      batch.update(
          "update subscription_lifecycle l set next_transition_at = v.next_transition_at,"
              + " license_id = v.license_id, phase = v.phase from (values "
              + String.join(
                  ", ",
                  Collections.nCopies(
                      chunk.size(),
                      "(cast(? as timestamp with time zone), cast(? as varchar),"
                          + " cast(? as varchar), cast(? as varchar))"))
              + ") as v (next_transition_at, license_id, phase, id) where l.subscription_id = v.id",
          ps -> {
            int i = 1;
            for (State s : chunk) {
              i = bind(ps, i, s);
            }
          });
    }
  }

  /** Binds one state's four values from {@code index} on; returns the next index. */
  private static int bind(PreparedStatement ps, int index, State s) throws SQLException {
    ps.setObject(index, Db.ts(s.next()));
    ps.setObject(index + 1, s.licenseId());
    ps.setObject(index + 2, s.phase() == null ? null : s.phase().name());
    ps.setObject(index + 3, s.subscriptionId());
    return index + 4;
  }

  private static String marks(Collection<?> values) {
    return String.join(", ", Collections.nCopies(values.size(), "?"));
  }
}
