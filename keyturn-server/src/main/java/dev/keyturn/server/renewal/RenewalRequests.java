package dev.keyturn.server.renewal;

import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.delivery.Webhooks;
import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.jdbc.Ids;
import dev.keyturn.server.jdbc.MultiRowInsert;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.subscription.Subscription;
import dev.keyturn.server.subscription.SubscriptionService;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Opens renewal requests for the staff queue, from wherever they come (the product's Renew button,
 * staff, the customer portal): one open request per subscription and source at a time, audited and
 * announced by webhook. The subscription's own data (tier, expiry) wins over what was sent.
 */
@Component
public class RenewalRequests {
  private final JdbcClient jdbc;
  private final JdbcTemplate batch;
  private final Clock clock;
  private final EventLog events;
  private final Webhooks webhooks;
  private final JsonMapper json;

  RenewalRequests(
      JdbcClient jdbc,
      JdbcTemplate batch,
      Clock clock,
      EventLog events,
      Webhooks webhooks,
      JsonMapper json) {
    this.jdbc = jdbc;
    this.batch = batch;
    this.clock = clock;
    this.events = events;
    this.webhooks = webhooks;
    this.json = json;
  }

  /**
   * @param created true for a new request, false when one from this source was open already
   */
  public record Opened(String id, boolean created) {}

  /** How many requests are open in the queue. */
  public long countOpen() {
    return jdbc.sql("select count(*) from renewal_requests where state = 'OPEN'")
        .query(Long.class)
        .single();
  }

  /** A request the sweep opens at D-1, with its id made by the sweep (its event names it). */
  public record Automatic(
      String id, String subscriptionId, String licenseId, Instant createdAt, String createdBy) {}

  /**
   * Opens the sweep's automatic requests of a batch with multi-row inserts; the sweep records their
   * events and webhooks with the rest of the batch's.
   */
  public void openAutomatic(List<Automatic> requests) {
    if (requests.isEmpty()) {
      return;
    }
    MultiRowInsert.insert(
        batch,
        "insert into renewal_requests (id, subscription_id, license_id, source, state, created_at,"
            + " created_by)",
        "(?, ?, ?, 'AUTOMATIC', 'OPEN', ?, ?)",
        "",
        requests.stream()
            .map(
                r ->
                    new Object[] {
                      r.id(), r.subscriptionId(), r.licenseId(), Db.ts(r.createdAt()), r.createdBy()
                    })
            .toList());
  }

  /**
   * Opens a request, or finds the one from this source still open. Call inside the caller's
   * transaction.
   *
   * @param license the license to renew, if any
   * @param details what the requester sent along (contact, instance…), stored as JSON
   */
  public Opened open(
      Subscription s,
      LicenseRecord license,
      String source,
      String by,
      String note,
      Map<String, Object> details) {
    SubscriptionService.requireNotArchived(s);
    Optional<String> open =
        jdbc.sql(
                "select id from renewal_requests where subscription_id = ? and state = 'OPEN' and"
                    + " source = ? order by created_at desc limit 1")
            .params(s.id(), source)
            .query(String.class)
            .optional();
    if (open.isPresent()) {
      return new Opened(open.get(), false);
    }
    Instant now = clock.instant();
    Instant expiresAt = license == null ? null : license.expiresAt();
    Map<String, Object> stored = new LinkedHashMap<>(details);
    stored.put("crm_account_id", s.fields().crmAccountId());
    String id = Ids.next("rnw", clock);
    jdbc.sql(
            "insert into renewal_requests (id, subscription_id, license_id, source, state, note,"
                + " created_at, created_by, details, tier, expires_at) values (?, ?, ?, ?, 'OPEN',"
                + " ?, ?, ?, ?, ?, ?)")
        .params(
            id,
            s.id(),
            license == null ? null : license.id(),
            source,
            note,
            Db.ts(now),
            by,
            json.writeValueAsString(stored),
            s.fields().tier(),
            Db.ts(expiresAt))
        .update();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("renewal_request_id", id);
    data.put("license_id", license == null ? null : license.id());
    data.put("expires_at", expiresAt == null ? null : expiresAt.toString());
    data.put("tier", s.fields().tier());
    data.put("crm_account_id", s.fields().crmAccountId());
    data.put("source", source);
    events.record("renewal.requested", by, s.id(), license == null ? null : license.id(), data);
    webhooks.publish("renewal.requested", s.id(), data);
    return new Opened(id, true);
  }
}
