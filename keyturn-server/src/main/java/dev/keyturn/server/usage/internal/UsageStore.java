package dev.keyturn.server.usage.internal;

import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.jdbc.Dialect;
import dev.keyturn.server.jdbc.MultiRowInsert;
import dev.keyturn.server.usage.CheckInUsage;
import dev.keyturn.server.usage.UsageDay;
import dev.keyturn.server.usage.UsageImport;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The SQL of the usage tables ({@code usage_reports}, {@code usage_daily}, {@code usage_alerts}).
 */
@Component
public class UsageStore {
  private static final String DAILY_COLUMNS =
      "usage_daily (subscription_id, usage_day, limit_name, installation_id, max_value)";

  /**
   * PostgreSQL keeps the greatest value with an upsert that writes nothing when the stored value is
   * already as high: a repeated report costs a read, not a new row version.
   */
  private static final String ON_CONFLICT_KEEP_GREATEST =
      " on conflict (subscription_id, usage_day, limit_name, installation_id) do update set max_value ="
          + " greatest(usage_daily.max_value, excluded.max_value) where usage_daily.max_value <"
          + " excluded.max_value";

  /** Rows per H2 MERGE statement, as {@link MultiRowInsert} chunks PostgreSQL's upserts. */
  private static final int MERGE_ROWS = 100;

  private final JdbcClient jdbc;
  private final JdbcTemplate template;
  private final Dialect dialect;

  UsageStore(JdbcClient jdbc, JdbcTemplate template, Dialect dialect) {
    this.jdbc = jdbc;
    this.template = template;
    this.dialect = dialect;
  }

  /**
   * Stores check-ins' raw reports and raises their daily maxima, in the caller's transaction: a
   * group of check-ins costs one multi-row statement per table, not one per check-in. The daily
   * rows are first merged to the greatest value per key (one statement may not upsert a row twice)
   * and sorted by key, so that concurrent writers lock them in the same order.
   *
   * @param usageJson each report's usage as a JSON object, stored as reported
   */
  public void recordAll(List<CheckInUsage> reports, List<String> usageJson) {
    List<Object[]> raw = new ArrayList<>(reports.size());
    Map<String, Object[]> greatest = new TreeMap<>();
    for (int i = 0; i < reports.size(); i++) {
      CheckInUsage r = reports.get(i);
      raw.add(
          new Object[] {
            r.subscriptionId(),
            r.licenseId(),
            r.installationId(),
            r.node(),
            Db.ts(r.at()),
            usageJson.get(i)
          });
      for (Object[] row : dailyRows(r.subscriptionId(), r.installationId(), r.at(), r.usage())) {
        String key = row[0] + "\n" + row[1] + "\n" + row[2] + "\n" + row[3];
        greatest.merge(key, row, (a, b) -> (long) a[4] >= (long) b[4] ? a : b);
      }
    }
    MultiRowInsert.insert(
        template,
        "insert into usage_reports (subscription_id, license_id, installation_id, node,"
            + " reported_at, usage)",
        "(?, ?, ?, ?, ?, ?)",
        "",
        raw);
    raiseDaily(new ArrayList<>(greatest.values()));
  }

  /** Raises the daily maxima of these rows: (subscription, day, limit, installation, value). */
  public void raiseDaily(List<Object[]> rows) {
    if (rows.isEmpty()) {
      return;
    }
    if (dialect.postgres()) {
      MultiRowInsert.insert(
          template,
          "insert into " + DAILY_COLUMNS,
          "(?, ?, ?, ?, ?)",
          ON_CONFLICT_KEEP_GREATEST,
          rows);
      return;
    }
    // H2 has no "on conflict do update": the standard MERGE says the same.
    for (int from = 0; from < rows.size(); from += MERGE_ROWS) {
      mergeDaily(rows.subList(from, Math.min(rows.size(), from + MERGE_ROWS)));
    }
  }

  private void mergeDaily(List<Object[]> rows) {
    template.update(
        "merge into usage_daily d using (values "
            + String.join(
                ", ",
                Collections.nCopies(
                    rows.size(),
                    "(cast(? as varchar(40)), cast(? as date), cast(? as varchar(64)),"
                        + " cast(? as varchar(200)), cast(? as bigint))"))
            + ") v (subscription_id, usage_day, limit_name, installation_id, max_value) on"
            + " d.subscription_id = v.subscription_id and d.usage_day = v.usage_day and d.limit_name ="
            + " v.limit_name and d.installation_id = v.installation_id when matched and d.max_value"
            + " < v.max_value then update set max_value = v.max_value when not matched then insert"
            + " (subscription_id, usage_day, limit_name, installation_id, max_value) values"
            + " (v.subscription_id, v.usage_day, v.limit_name, v.installation_id, v.max_value)",
        MultiRowInsert.bind(rows));
  }

  /** The rows for {@link #raiseDaily}: one per limit, on the UTC day of {@code at}. */
  public static List<Object[]> dailyRows(
      String subscriptionId, String installationId, Instant at, Map<String, Long> usage) {
    return dailyRows(
        subscriptionId, installationId, LocalDate.ofInstant(at, ZoneOffset.UTC), usage);
  }

  public static List<Object[]> dailyRows(
      String subscriptionId, String installationId, LocalDate day, Map<String, Long> usage) {
    List<Object[]> rows = new ArrayList<>(usage.size());
    Date sqlDay = Date.valueOf(day);
    usage.forEach(
        (limit, value) ->
            rows.add(new Object[] {subscriptionId, sqlDay, limit, installationId, value}));
    return rows;
  }

  /** Each day's highest value per limit in [from, to), over the installations; by day, limit. */
  public List<UsageDay> days(String subscriptionId, LocalDate from, LocalDate to) {
    return jdbc.sql(
            "select usage_day, limit_name, max(max_value) as max_value from usage_daily where"
                + " subscription_id = ? and usage_day >= ? and usage_day < ? group by usage_day, limit_name order by"
                + " usage_day, limit_name")
        .params(subscriptionId, Date.valueOf(from), Date.valueOf(to))
        .query(
            (rs, i) ->
                new UsageDay(
                    rs.getDate("usage_day").toLocalDate(),
                    rs.getString("limit_name"),
                    rs.getLong("max_value")))
        .list();
  }

  /** A node's retained check-ins, as {@link #nodes} reads them. */
  public record NodeRow(
      String installationId, String node, Instant firstSeen, Instant lastSeen, long checkIns) {}

  /** Every installation and node with a retained raw report, by installation and node. */
  public List<NodeRow> nodes(String subscriptionId) {
    return jdbc.sql(
            "select installation_id, node, min(reported_at) as first_seen, max(reported_at) as"
                + " last_seen, count(*) as check_ins from usage_reports where subscription_id = ?"
                + " group by installation_id, node order by installation_id, node")
        .param(subscriptionId)
        .query(
            (rs, i) ->
                new NodeRow(
                    rs.getString("installation_id"),
                    rs.getString("node"),
                    Db.instant(rs, "first_seen"),
                    Db.instant(rs, "last_seen"),
                    rs.getLong("check_ins")))
        .list();
  }

  /** Deletes up to {@code batch} raw reports older than {@code before}; returns how many. */
  public int purgeRaw(Instant before, int batch) {
    return jdbc.sql(
            "delete from usage_reports where id in (select id from usage_reports where"
                + " reported_at < ? order by reported_at limit ?)")
        .params(Db.ts(before), batch)
        .update();
  }

  /**
   * Claims the one alert of this license, limit and kind; false when it was claimed before (by this
   * or a concurrent check-in: the primary key decides).
   */
  public boolean claimAlert(
      String licenseId,
      String limit,
      String kind,
      String subscriptionId,
      long value,
      long threshold,
      Instant at) {
    return jdbc.sql(
                "insert into usage_alerts (license_id, limit_name, kind, subscription_id, reported,"
                    + " threshold, alerted_at) values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing")
            .params(licenseId, limit, kind, subscriptionId, value, threshold, Db.ts(at))
            .update()
        == 1;
  }

  /** Whether the license's alert of that limit and kind was sent. */
  public boolean alerted(String licenseId, String limit, String kind) {
    return jdbc.sql(
                "select count(*) from usage_alerts where license_id = ? and limit_name = ? and"
                    + " kind = ?")
            .params(licenseId, limit, kind)
            .query(Long.class)
            .single()
        > 0;
  }

  /** An installation as its last accepted usage report left it. */
  public record InstallationRow(
      String keyFingerprint,
      long lastSequence,
      long lastChainEntries,
      String lastChainHash,
      String lastMonth,
      Instant boundAt) {}

  /**
   * Binds the installation's key if no report of it was imported before; false when it was. In the
   * caller's transaction: a refused import rolls the binding back with everything else.
   */
  public boolean bindInstallation(
      String subscriptionId,
      String installationId,
      String publicKey,
      String fingerprint,
      Instant at) {
    return jdbc.sql(
                "insert into usage_installations (subscription_id, installation_id, public_key,"
                    + " key_fingerprint, last_sequence, last_chain_entries, last_chain_hash,"
                    + " last_month, bound_at, last_import_at) values (?, ?, ?, ?, 0, 0, ?, null, ?,"
                    + " ?) on conflict do nothing")
            .params(
                subscriptionId,
                installationId,
                publicKey,
                fingerprint,
                "0".repeat(64),
                Db.ts(at),
                Db.ts(at))
            .update()
        == 1;
  }

  /** The installation's row, locked until the transaction ends (one import at a time). */
  public InstallationRow lockInstallation(String subscriptionId, String installationId) {
    return jdbc.sql(
            "select key_fingerprint, last_sequence, last_chain_entries, last_chain_hash,"
                + " last_month, bound_at from usage_installations where subscription_id = ? and"
                + " installation_id = ? for update")
        .params(subscriptionId, installationId)
        .query(
            (rs, i) ->
                new InstallationRow(
                    rs.getString("key_fingerprint"),
                    rs.getLong("last_sequence"),
                    rs.getLong("last_chain_entries"),
                    rs.getString("last_chain_hash"),
                    rs.getString("last_month"),
                    Db.instant(rs, "bound_at")))
        .single();
  }

  /** Records what the accepted report said, for the next one to be checked against. */
  public void advanceInstallation(
      String subscriptionId,
      String installationId,
      long sequence,
      long chainEntries,
      String chainHash,
      String lastMonth,
      Instant at) {
    jdbc.sql(
            "update usage_installations set last_sequence = ?, last_chain_entries = ?,"
                + " last_chain_hash = ?, last_month = ?, last_import_at = ? where subscription_id"
                + " = ? and installation_id = ?")
        .params(
            sequence, chainEntries, chainHash, lastMonth, Db.ts(at), subscriptionId, installationId)
        .update();
  }

  /** Stores an accepted report's record; returns its id. */
  public long insertImport(UsageImport r) {
    org.springframework.jdbc.support.GeneratedKeyHolder keys =
        new org.springframework.jdbc.support.GeneratedKeyHolder();
    jdbc.sql(
            "insert into usage_imports (subscription_id, license_id, installation_id, sequence,"
                + " created_at, imported_at, imported_by, first_month, last_month, chain_entries,"
                + " chain_hash, missing_months, report_sha256) values (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?, ?, ?)")
        .params(
            r.subscriptionId(),
            r.licenseId(),
            r.installationId(),
            r.sequence(),
            Db.ts(r.createdAt()),
            Db.ts(r.importedAt()),
            r.importedBy(),
            r.firstMonth(),
            r.lastMonth(),
            r.chainEntries(),
            r.chainHash(),
            String.join(",", r.missingMonths()),
            r.reportSha256())
        .update(keys, "id");
    return keys.getKey().longValue();
  }

  /** The subscription's imported reports, newest first. */
  public List<UsageImport> imports(String subscriptionId, int limit) {
    return jdbc.sql(
            "select * from usage_imports where subscription_id = ? order by id desc limit ?")
        .params(subscriptionId, limit)
        .query(
            (rs, i) ->
                new UsageImport(
                    rs.getLong("id"),
                    rs.getString("subscription_id"),
                    rs.getString("license_id"),
                    rs.getString("installation_id"),
                    rs.getLong("sequence"),
                    Db.instant(rs, "created_at"),
                    Db.instant(rs, "imported_at"),
                    rs.getString("imported_by"),
                    rs.getString("first_month"),
                    rs.getString("last_month"),
                    rs.getLong("chain_entries"),
                    rs.getString("chain_hash"),
                    rs.getString("missing_months").isEmpty()
                        ? List.of()
                        : List.of(rs.getString("missing_months").split(",")),
                    rs.getString("report_sha256")))
        .list();
  }
}
