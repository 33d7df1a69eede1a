package dev.keyturn.server.subscription;

import dev.keyturn.server.jdbc.Db;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/** Subscription rows. Lists, maps and capabilities are stored as JSON text. */
@Component
public class Subscriptions {
  private static final TypeReference<List<String>> LIST = new TypeReference<>() {};
  private static final TypeReference<Map<String, Long>> LIMITS = new TypeReference<>() {};
  private static final TypeReference<Map<String, Capability>> CAPABILITIES =
      new TypeReference<>() {};
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  /** A subscription with the sweep's state of it, which lives in a narrow table of its own. */
  private static final String SELECT =
      "select s.*, l.next_transition_at, l.phase as lifecycle_phase from subscriptions s left join"
          + " subscription_lifecycle l on l.subscription_id = s.id";

  private final JdbcClient jdbc;
  private final JdbcTemplate batch;
  private final JsonMapper json;
  // Readers resolved once: the sweep maps 100,000 rows of six JSON columns in a catch-up, and
  // mapper.readValue(text, type) resolves the type on every call.
  private final ObjectReader lists;
  private final ObjectReader limits;
  private final ObjectReader capabilities;
  private final ObjectReader maps;
  private final ObjectReader overage;

  Subscriptions(JdbcClient jdbc, JdbcTemplate batch, JsonMapper json) {
    this.jdbc = jdbc;
    this.batch = batch;
    this.json = json;
    this.lists = json.readerFor(LIST);
    this.limits = json.readerFor(LIMITS);
    this.capabilities = json.readerFor(CAPABILITIES);
    this.maps = json.readerFor(MAP);
    this.overage = json.readerFor(new TypeReference<java.util.TreeMap<String, Integer>>() {});
  }

  public void insert(String id, SubscriptionFields f, Instant now) {
    jdbc.sql(
            "insert into subscriptions (id, display_name, customer_type, crm_account_id,"
                + " crm_subscription_id, instance_domain, instance_type, admin_emails,"
                + " billing_emails, billing_cycle, auto_renew, stripe_customer_id,"
                + " stripe_subscription_id, paid_through, contract_end, policy_preset, tier, seats,"
                + " limits, features, capabilities, created_at, updated_at) values (?, ?, ?, ?, ?,"
                + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(id)
        .params(fieldParams(f))
        .params(Db.ts(now), Db.ts(now))
        .update();
  }

  public void update(String id, SubscriptionFields f, Instant now) {
    jdbc.sql(
            "update subscriptions set display_name = ?, customer_type = ?, crm_account_id = ?,"
                + " crm_subscription_id = ?, instance_domain = ?, instance_type = ?, admin_emails ="
                + " ?, billing_emails = ?, billing_cycle = ?, auto_renew = ?, stripe_customer_id ="
                + " ?, stripe_subscription_id = ?, paid_through = ?, contract_end = ?,"
                + " policy_preset = ?, tier = ?, seats = ?, limits = ?, features = ?, capabilities"
                + " = ?, updated_at = ? where id = ?")
        .params(fieldParams(f))
        .params(Db.ts(now), id)
        .update();
  }

  public Optional<Subscription> find(String id) {
    return jdbc.sql(SELECT + " where s.id = ?").param(id).query(this::map).optional();
  }

  /** Several subscriptions by id in one query; absent ids are left out. */
  public Map<String, Subscription> findAll(Collection<String> ids) {
    Map<String, Subscription> found = new HashMap<>();
    if (ids.isEmpty()) {
      return found;
    }
    jdbc.sql(
            SELECT
                + " where s.id in ("
                + String.join(", ", Collections.nCopies(ids.size(), "?"))
                + ")")
        .params(List.copyOf(ids))
        .query(this::map)
        .list()
        .forEach(s -> found.put(s.id(), s));
    return found;
  }

  /**
   * The sweep's batch, read and locked in one query: up to {@code limit} live subscriptions whose
   * next lifecycle instant ({@code subscription_lifecycle.next_transition_at}) is due by {@code
   * now}, from {@code from} on (null: from the oldest), in that order. Their rows stay locked for
   * the rest of the transaction, and rows another transaction holds are skipped ({@code for update
   * skip locked}): two sweeps, or a sweep and a payment's issuance, never handle one subscription
   * at once.
   */
  public List<Subscription> lockDue(Instant from, Instant now, int limit) {
    return jdbc.sql(
            SELECT
                + " where "
                + (from == null ? "" : "l.next_transition_at >= ? and ")
                + "l.next_transition_at <= ? and s.archived_at is null order by"
                + " l.next_transition_at limit "
                + limit
                + " for update of s skip locked")
        .params(from == null ? List.of(Db.ts(now)) : List.of(Db.ts(from), Db.ts(now)))
        .query(this::map)
        .list();
  }

  /**
   * Locks the row for the rest of the transaction: patches, archival and issuance of one
   * subscription happen one after the other, so no license is issued after archival.
   */
  public Optional<Subscription> lock(String id) {
    return jdbc.sql(SELECT + " where s.id = ? for update of s")
        .param(id)
        .query(this::map)
        .optional();
  }

  /**
   * From now on these subscriptions pay up front (their third grace entry in a year); one JDBC
   * batch for the sweep's batch.
   */
  public void requireUpfrontPayment(List<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    List<Object[]> rows = new ArrayList<>(ids.size());
    for (String id : ids) {
      rows.add(new Object[] {id});
    }
    batch.batchUpdate(
        "update subscriptions set requires_upfront_payment = true where id = ?", rows);
  }

  /**
   * Notes that a license gap was reported for this paid-through; true when it was not yet, so that
   * each gap is reported once per paid-through value.
   */
  public boolean markGapReported(String id, Instant paidThrough) {
    return jdbc.sql(
                "update subscriptions set gap_reported_through = ? where id = ? and"
                    + " (gap_reported_through is null or gap_reported_through <> ?)")
            .params(Db.ts(paidThrough), id, Db.ts(paidThrough))
            .update()
        == 1;
  }

  public void archive(String id, Instant at, String by, String reason) {
    jdbc.sql(
            "update subscriptions set archived_at = ?, archived_by = ?, archive_reason = ?,"
                + " updated_at = ? where id = ? and archived_at is null")
        .params(Db.ts(at), by, reason, Db.ts(at), id)
        .update();
  }

  /** Binds the instance if none is bound yet; true when this instance holds the subscription. */
  public boolean bindInstance(String id, String instanceId, Instant at) {
    jdbc.sql(
            "update subscriptions set bound_instance_id = ?, bound_at = ? where id = ? and"
                + " bound_instance_id is null")
        .params(instanceId, Db.ts(at), id)
        .update();
    return instanceId.equals(
        jdbc.sql("select bound_instance_id from subscriptions where id = ?")
            .param(id)
            .query(String.class)
            .single());
  }

  /** Frees the subscription for the next instance that checks in. */
  public void releaseInstance(String id) {
    jdbc.sql("update subscriptions set bound_instance_id = null, bound_at = null where id = ?")
        .param(id)
        .update();
  }

  /**
   * A subscription's last check-in.
   *
   * @param report the instance's report as a JSON object
   */
  public record LastCheckIn(String subscriptionId, Instant at, String report) {}

  /**
   * Stores subscriptions' last check-ins (at most one per subscription) as one JDBC batch, in the
   * caller's transaction. In subscription id order: two servers writing overlapping batches then
   * lock the rows in the same order and cannot deadlock each other.
   */
  public void recordCheckIns(Collection<LastCheckIn> checkIns) {
    List<LastCheckIn> byId =
        checkIns.stream().sorted(Comparator.comparing(LastCheckIn::subscriptionId)).toList();
    batch.batchUpdate(
        "update subscriptions set last_check_in_at = ?, last_check_in = ? where id = ?",
        byId,
        byId.size(),
        (ps, c) -> {
          ps.setObject(1, Db.ts(c.at()));
          ps.setString(2, c.report());
          ps.setString(3, c.subscriptionId());
        });
  }

  public List<Subscription> search(SubscriptionQuery q) {
    StringBuilder sql = new StringBuilder(SELECT + " where 1 = 1");
    List<Object> params = new ArrayList<>();
    if (q.text() != null && !q.text().isBlank()) {
      String like = "%" + escapeLike(q.text().strip().toLowerCase(Locale.ROOT)) + "%";
      sql.append(
          " and (lower(display_name) like ? escape '\\' or lower(crm_account_id) like ? escape"
              + " '\\' or lower(crm_subscription_id) like ? escape '\\' or lower(instance_domain)"
              + " like ? escape '\\' or lower(admin_emails) like ? escape '\\' or"
              + " lower(billing_emails) like ? escape '\\' or lower(id) like ? escape '\\')");
      params.addAll(List.of(like, like, like, like, like, like, like));
    }
    if (q.customerType() != null) {
      sql.append(" and customer_type = ?");
      params.add(q.customerType().name());
    }
    if (q.instanceType() != null) {
      sql.append(" and instance_type = ?");
      params.add(q.instanceType().name());
    }
    if (q.archived() != null) {
      sql.append(q.archived() ? " and archived_at is not null" : " and archived_at is null");
    }
    sql.append(" order by display_name, id limit ")
        .append(q.limit())
        .append(" offset ")
        .append(q.offset());
    return jdbc.sql(sql.toString()).params(params).query(this::map).list();
  }

  private static String escapeLike(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  private List<Object> fieldParams(SubscriptionFields f) {
    List<Object> p = new ArrayList<>();
    p.add(f.displayName());
    p.add(f.customerType().name());
    p.add(f.crmAccountId());
    p.add(f.crmSubscriptionId());
    p.add(f.instanceDomain());
    p.add(f.instanceType().name());
    p.add(json.writeValueAsString(f.contacts().adminEmails()));
    p.add(json.writeValueAsString(f.contacts().billingEmails()));
    p.add(f.billingCycle().name());
    p.add(f.autoRenew());
    p.add(f.stripeCustomerId());
    p.add(f.stripeSubscriptionId());
    p.add(Db.ts(f.paidThrough()));
    p.add(Db.ts(f.contractEnd()));
    p.add(f.policyPreset());
    p.add(f.tier());
    p.add(f.seats());
    p.add(json.writeValueAsString(f.limits()));
    p.add(json.writeValueAsString(f.features()));
    p.add(json.writeValueAsString(f.capabilities()));
    return p;
  }

  private Subscription map(ResultSet rs, int row) throws SQLException {
    SubscriptionFields fields =
        new SubscriptionFields(
            rs.getString("display_name"),
            CustomerType.valueOf(rs.getString("customer_type")),
            rs.getString("crm_account_id"),
            rs.getString("crm_subscription_id"),
            rs.getString("instance_domain"),
            InstanceType.valueOf(rs.getString("instance_type")),
            new Contacts(list(rs.getString("admin_emails")), list(rs.getString("billing_emails"))),
            BillingCycle.valueOf(rs.getString("billing_cycle")),
            rs.getBoolean("auto_renew"),
            rs.getString("stripe_customer_id"),
            rs.getString("stripe_subscription_id"),
            Db.instant(rs, "paid_through"),
            Db.instant(rs, "contract_end"),
            rs.getString("policy_preset"),
            rs.getString("tier"),
            rs.getLong("seats"),
            map(limits, rs.getString("limits")),
            list(rs.getString("features")),
            map(capabilities, rs.getString("capabilities")));
    String lastCheckIn = rs.getString("last_check_in");
    return new Subscription(
        rs.getString("id"),
        fields,
        rs.getString("bound_instance_id"),
        Db.instant(rs, "bound_at"),
        Db.instant(rs, "last_check_in_at"),
        lastCheckIn == null ? null : maps.readValue(lastCheckIn),
        Db.instant(rs, "created_at"),
        Db.instant(rs, "updated_at"),
        Db.instant(rs, "archived_at"),
        rs.getString("archived_by"),
        rs.getString("archive_reason"),
        rs.getBoolean("requires_upfront_payment"),
        rs.getString("lifecycle_phase"),
        Db.instant(rs, "next_transition_at"),
        map(overage, rs.getString("overage_percent")));
  }

  /**
   * A stored JSON list. Most are empty, and a JSON parser costs microseconds to set up: the sweep
   * reads hundreds of subscriptions per batch, five lists and maps each.
   */
  private List<String> list(String json) {
    return "[]".equals(json) ? List.of() : lists.readValue(json);
  }

  /** A stored JSON object, read by {@code reader}; an empty one without a parser. */
  private <K, V> Map<K, V> map(ObjectReader reader, String json) {
    return "{}".equals(json) ? Map.of() : reader.readValue(json);
  }

  /**
   * @param overagePercentJson limit name → percent, as a JSON object (validated by the service)
   */
  public void setOveragePercent(String id, String overagePercentJson, Instant at) {
    jdbc.sql("update subscriptions set overage_percent = ?, updated_at = ? where id = ?")
        .params(overagePercentJson, Db.ts(at), id)
        .update();
  }
}
