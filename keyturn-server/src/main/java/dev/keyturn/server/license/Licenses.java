package dev.keyturn.server.license;

import dev.keyturn.core.lifecycle.Phase;
import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.subscription.InstanceType;
import dev.keyturn.server.subscription.LicenseRevocation;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * License rows. The phase of a license at an instant is a range test on the stage boundaries stored
 * at issuance (the same boundaries {@code Lifecycle.evaluate} uses), so filtering by phase and
 * counting by phase stay in SQL.
 */
@Component
public class Licenses implements LicenseRevocation {
  private final JdbcClient jdbc;

  Licenses(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insert(LicenseRecord l, String tokenHash) {
    jdbc.sql(
            "insert into licenses (id, subscription_id, key_id, license_text, token_hash, customer,"
                + " tier, seats, policy_preset, grace_days, grace_mode, policy_definition,"
                + " policy_revision, issued_at, not_before, expiring_at, expires_at, locks_at,"
                + " issued_by) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            l.id(),
            l.subscriptionId(),
            l.keyId(),
            l.text(),
            tokenHash,
            l.customer(),
            l.tier(),
            l.seats(),
            l.policyPreset(),
            l.graceDays(),
            l.graceMode(),
            l.policyDefinition(),
            l.policyRevision(),
            Db.ts(l.issuedAt()),
            Db.ts(l.notBefore()),
            Db.ts(l.expiringAt()),
            Db.ts(l.expiresAt()),
            Db.ts(l.locksAt()),
            l.issuedBy())
        .update();
    for (String tag : l.tags()) {
      jdbc.sql("insert into license_tags (license_id, tag) values (?, ?)")
          .params(l.id(), tag)
          .update();
    }
    refreshCurrent(l.subscriptionId());
  }

  /** Notes the role a license was issued under (only engineers' bridges are looked up by it). */
  void recordIssuerRole(String licenseId, String role) {
    jdbc.sql("update licenses set issuer_role = ? where id = ?").params(role, licenseId).update();
  }

  /**
   * An unrevoked license of the subscription issued under that role that has not expired at {@code
   * now} (valid, or not yet started), if any.
   */
  Optional<String> unexpiredIssuedUnder(String subscriptionId, String role, Instant now) {
    return jdbc
        .sql(
            "select id from licenses where subscription_id = ? and issuer_role = ? and expires_at"
                + " > ? and revoked_at is null order by expires_at desc")
        .params(subscriptionId, role, Db.ts(now))
        .query(String.class)
        .list()
        .stream()
        .findFirst();
  }

  /**
   * Marks the subscription's current license (the unrevoked one expiring last; ties are all
   * current), so the dashboard and the phase counts read one indexed flag instead of comparing
   * every license with its siblings. Called after each insert and revocation, which hold the
   * subscription's row lock.
   */
  private void refreshCurrent(String subscriptionId) {
    jdbc.sql(
            "update licenses set is_current = case when revoked_at is null and expires_at ="
                + " (select max(l2.expires_at) from licenses l2 where l2.subscription_id = ? and"
                + " l2.revoked_at is null) then true else false end where subscription_id = ?")
        .params(subscriptionId, subscriptionId)
        .update();
  }

  public Optional<LicenseRecord> find(String id) {
    return one(
        jdbc.sql("select * from licenses where id = ?").param(id).query(this::map).optional());
  }

  public Optional<LicenseRecord> findByTokenHash(String tokenHash) {
    return one(
        jdbc.sql("select * from licenses where token_hash = ?")
            .param(tokenHash)
            .query(this::map)
            .optional());
  }

  /** Whether a license with that token exists (revoked or not): a cheap check before a body. */
  public boolean knowsToken(String tokenHash) {
    return jdbc.sql("select count(*) from licenses where token_hash = ?")
            .param(tokenHash)
            .query(Long.class)
            .single()
        > 0;
  }

  /**
   * How far the subscription's licenses reach: the latest expiry among those not revoked (valid
   * already or not); empty when it has none.
   */
  public Optional<Instant> newestExpiry(String subscriptionId) {
    return Optional.ofNullable(
        jdbc.sql(
                "select max(expires_at) as newest from licenses where subscription_id = ? and"
                    + " revoked_at is null")
            .param(subscriptionId)
            .query((rs, n) -> Db.instant(rs, "newest"))
            .list()
            .get(0)); // max() of no rows is one null row, which single() refuses
  }

  /** The license a client should run now: not revoked, already valid, expiring last. */
  public Optional<LicenseRecord> newestUsable(String subscriptionId, Instant now) {
    return one(
        jdbc.sql(
                "select * from licenses where subscription_id = ? and revoked_at is null and"
                    + " not_before <= ? order by expires_at desc, issued_at desc, id desc limit 1")
            .params(subscriptionId, Db.ts(now))
            .query(this::map)
            .optional());
  }

  /**
   * {@link #newestUsable(String, Instant)} for several subscriptions in one query (the sweep's
   * batches, a policy's re-issue), <b>without the signed text</b>: {@link LicenseRecord#text()} is
   * null. Those callers decide from the terms, and a batch's texts (about a kilobyte each) were
   * half the query's time. Subscriptions without a usable license are left out.
   */
  public Map<String, LicenseRecord> newestUsableWithoutText(
      Collection<String> subscriptionIds, Instant now) {
    Map<String, LicenseRecord> newest = new HashMap<>();
    if (subscriptionIds.isEmpty()) {
      return newest;
    }
    List<Object> params = new ArrayList<>(subscriptionIds);
    params.add(Db.ts(now));
    withTags(
            jdbc.sql(
                    "select * from (select l.id, l.subscription_id, l.key_id, null as"
                        + " license_text, l.customer, l.tier, l.seats, l.policy_preset,"
                        + " l.grace_days, l.grace_mode, l.policy_definition, l.policy_revision,"
                        + " l.issued_at, l.not_before, l.expiring_at, l.expires_at, l.locks_at,"
                        + " l.issued_by, l.revoked_at, l.revoked_by, l.revoked_reason,"
                        + " row_number() over (partition by l.subscription_id order by"
                        + " l.expires_at desc, l.issued_at desc, l.id desc) as newest_first from"
                        + " licenses l where l.subscription_id in ("
                        + String.join(", ", Collections.nCopies(subscriptionIds.size(), "?"))
                        + ") and l.revoked_at is null and l.not_before <= ?) ranked where"
                        + " newest_first = 1")
                .params(params)
                .query(this::map)
                .list())
        .forEach(l -> newest.put(l.subscriptionId(), l));
    return newest;
  }

  /** What a revoked license's product is told when staff wrote nothing for the customer. */
  public static final String DEFAULT_REVOCATION_MESSAGE =
      "This license was revoked. Please contact your vendor.";

  /**
   * True when this call revoked it; false when it was revoked already.
   *
   * @param reason the internal reason, for staff only
   * @param customerMessage what the customer's product is told; null for the default
   */
  boolean revoke(String id, Instant at, String by, String reason, String customerMessage) {
    boolean revoked =
        jdbc.sql(
                    "update licenses set revoked_at = ?, revoked_by = ?, revoked_reason = ?,"
                        + " revoked_customer_message = ? where id = ? and revoked_at is null")
                .params(Db.ts(at), by, reason, customerMessage, id)
                .update()
            == 1;
    if (revoked) {
      jdbc.sql("select subscription_id from licenses where id = ?")
          .param(id)
          .query(String.class)
          .optional()
          .ifPresent(this::refreshCurrent);
    }
    return revoked;
  }

  /** Revokes every license of a subscription still in force; returns their ids. */
  @Override
  public List<String> revokeAllOf(String subscriptionId, Instant at, String by, String reason) {
    List<String> ids =
        jdbc.sql(
                "select id from licenses where subscription_id = ? and revoked_at is null order by"
                    + " id")
            .param(subscriptionId)
            .query(String.class)
            .list();
    ids.forEach(id -> revoke(id, at, by, reason, null));
    return ids;
  }

  public List<LicenseRecord> search(LicenseQuery q, Instant now) {
    StringBuilder sql = new StringBuilder("select l.* from licenses l");
    List<Object> params = new ArrayList<>();
    if (q.instanceType() != null) {
      sql.append(" join subscriptions s on s.id = l.subscription_id and s.instance_type = ?");
      params.add(q.instanceType().name());
    }
    sql.append(" where 1 = 1");
    if (q.subscriptionId() != null) {
      sql.append(" and l.subscription_id = ?");
      params.add(q.subscriptionId());
    }
    if (q.tag() != null) {
      sql.append(
          " and exists (select 1 from license_tags t where t.license_id = l.id and t.tag = ?)");
      params.add(q.tag());
    }
    if (q.expired() != null) {
      sql.append(q.expired() ? " and l.expires_at <= ?" : " and l.expires_at > ?");
      params.add(Db.ts(now));
    }
    if (q.revoked() != null) {
      sql.append(q.revoked() ? " and l.revoked_at is not null" : " and l.revoked_at is null");
    }
    if (q.phase() != null) {
      sql.append(" and ").append(phaseCondition(q.phase(), params, Db.ts(now)));
    }
    sql.append(" order by ").append(q.sort().orderBy());
    sql.append(" limit ").append(q.limit()).append(" offset ").append(q.offset());
    return withTags(jdbc.sql(sql.toString()).params(params).query(this::map).list());
  }

  /**
   * The current license of a live subscription: the newest unrevoked one ({@code is_current}, kept
   * by {@link #refreshCurrent}). Archival revokes every license, so a current license always
   * belongs to a live subscription.
   */
  private static final String CURRENT = "l.is_current = true";

  /** A current license with the subscription facts shown beside it. */
  public record Current(
      LicenseRecord license,
      String displayName,
      InstanceType instanceType,
      boolean autoRenew,
      Instant paidThrough,
      Instant paymentFailingSince) {}

  /**
   * Current licenses expiring at or after {@code from}, soonest first: a range of the {@code
   * (is_current, expires_at)} index walked in order and cut by the limit, so a page costs the same
   * for ten subscriptions or a million (bench/console-dashboard).
   */
  public List<Current> currentByExpiry(Instant from, int limit, int offset) {
    List<Current> rows =
        jdbc.sql(
                "select l.*, s.display_name as s_display_name, s.instance_type as s_instance_type,"
                    + " s.auto_renew as s_auto_renew, s.paid_through as s_paid_through,"
                    + " s.payment_failing_since as s_payment_failing_since from licenses l join"
                    + " subscriptions s on s.id = l.subscription_id where "
                    + CURRENT
                    + " and l.expires_at >= ? and s.archived_at is null"
                    // is_current first, so PostgreSQL walks licenses_current_expiry (already in
                    // this order) rather than licenses_expires_at and skipping superseded rows.
                    + " order by l.is_current, l.expires_at, l.id limit ? offset ?")
            .params(Db.ts(from), limit, offset)
            .query(
                (rs, n) ->
                    new Current(
                        map(rs, n),
                        rs.getString("s_display_name"),
                        InstanceType.valueOf(rs.getString("s_instance_type")),
                        rs.getBoolean("s_auto_renew"),
                        Db.instant(rs, "s_paid_through"),
                        Db.instant(rs, "s_payment_failing_since")))
            .list();
    List<LicenseRecord> tagged = withTags(rows.stream().map(Current::license).toList());
    List<Current> result = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Current c = rows.get(i);
      result.add(
          new Current(
              tagged.get(i),
              c.displayName(),
              c.instanceType(),
              c.autoRenew(),
              c.paidThrough(),
              c.paymentFailingSince()));
    }
    return result;
  }

  /**
   * How many current licenses expire in each of the {@code weeks} weeks starting at {@code from}
   * (index 0 is the first week). Counted in the database, one row per week.
   */
  public long[] currentExpiriesPerWeek(Instant from, int weeks) {
    long[] counts = new long[weeks];
    Instant to = from.plus(Duration.ofDays(7L * weeks));
    jdbc.sql(
            "select week, count(*) as n from (select floor((extract(epoch from l.expires_at) - ?)"
                + " / 604800) as week from licenses l where "
                + CURRENT
                + " and l.expires_at >= ? and l.expires_at < ?) w group by week")
        .params(from.getEpochSecond(), Db.ts(from), Db.ts(to))
        .query(
            rs -> {
              int week = rs.getInt("week");
              if (week >= 0 && week < weeks) {
                counts[week] = rs.getLong("n");
              }
            });
    return counts;
  }

  /**
   * How many subscriptions' current licenses (the newest unrevoked one of each live subscription)
   * are in each phase now.
   */
  public Map<Phase, Long> countCurrentByPhase(Instant now) {
    Map<Phase, Long> counts = new EnumMap<>(Phase.class);
    for (Phase phase : Phase.values()) {
      List<Object> params = new ArrayList<>();
      String condition = phaseCondition(phase, params, Db.ts(now));
      long n =
          jdbc.sql("select count(*) from licenses l where " + CURRENT + " and " + condition)
              .params(params)
              .query(Long.class)
              .single();
      counts.put(phase, n);
    }
    return counts;
  }

  private static String phaseCondition(Phase phase, List<Object> params, OffsetDateTime now) {
    switch (phase) {
      case NOT_YET_VALID -> {
        params.add(now);
        return "l.not_before > ?";
      }
      case ACTIVE -> {
        params.addAll(List.of(now, now));
        return "l.not_before <= ? and l.expiring_at > ?";
      }
      case EXPIRING -> {
        params.addAll(List.of(now, now, now));
        return "l.not_before <= ? and l.expiring_at <= ? and l.expires_at > ?";
      }
      case GRACE -> {
        params.addAll(List.of(now, now, now));
        return "l.not_before <= ? and l.expires_at <= ? and l.locks_at > ?";
      }
      case LOCKED -> {
        params.addAll(List.of(now, now));
        return "l.not_before <= ? and l.locks_at <= ?";
      }
      default -> throw new IllegalArgumentException("phase " + phase);
    }
  }

  private Optional<LicenseRecord> one(Optional<LicenseRecord> license) {
    return license.map(l -> withTags(List.of(l)).get(0));
  }

  /**
   * Tags come in a second query, after the rows are read: a query inside a row mapper would hold
   * one pooled connection while waiting for another, and deadlock a busy pool.
   */
  private List<LicenseRecord> withTags(List<LicenseRecord> rows) {
    if (rows.isEmpty()) {
      return rows;
    }
    Map<String, List<String>> tags = new HashMap<>();
    String marks = String.join(", ", Collections.nCopies(rows.size(), "?"));
    jdbc.sql(
            "select license_id, tag from license_tags where license_id in ("
                + marks
                + ") order by tag")
        .params(rows.stream().map(LicenseRecord::id).toList())
        .query(
            rs -> {
              tags.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
            });
    return rows.stream()
        .map(
            l ->
                new LicenseRecord(
                    l.id(),
                    l.subscriptionId(),
                    l.keyId(),
                    l.text(),
                    l.customer(),
                    l.tier(),
                    l.seats(),
                    tags.getOrDefault(l.id(), List.of()),
                    l.policyPreset(),
                    l.graceDays(),
                    l.graceMode(),
                    l.policyDefinition(),
                    l.policyRevision(),
                    l.issuedAt(),
                    l.notBefore(),
                    l.expiringAt(),
                    l.expiresAt(),
                    l.locksAt(),
                    l.issuedBy(),
                    l.revokedAt(),
                    l.revokedBy(),
                    l.revokedReason()))
        .toList();
  }

  private LicenseRecord map(ResultSet rs, int row) throws SQLException {
    return new LicenseRecord(
        rs.getString("id"),
        rs.getString("subscription_id"),
        rs.getString("key_id"),
        rs.getString("license_text"),
        rs.getString("customer"),
        rs.getString("tier"),
        rs.getLong("seats"),
        List.of(),
        rs.getString("policy_preset"),
        rs.getInt("grace_days"),
        rs.getString("grace_mode"),
        rs.getString("policy_definition"),
        (Integer) rs.getObject("policy_revision", Integer.class),
        Db.instant(rs, "issued_at"),
        Db.instant(rs, "not_before"),
        Db.instant(rs, "expiring_at"),
        Db.instant(rs, "expires_at"),
        Db.instant(rs, "locks_at"),
        rs.getString("issued_by"),
        Db.instant(rs, "revoked_at"),
        rs.getString("revoked_by"),
        rs.getString("revoked_reason"));
  }
}
