package dev.keyturn.server.delivery;

import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.jdbc.Filter;
import dev.keyturn.server.jdbc.Ids;
import dev.keyturn.server.security.Actor;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.KeyturnServerException;
import dev.keyturn.server.web.Validator;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The delivery log, the stored mails and the webhook endpoints. The API ({@code
 * internal/DeliveryController}) and the console call the same methods, so a page and the API apply
 * the same rules and write the same audit events.
 */
@Service
public class Deliveries {
  private static final Set<String> STATES =
      Set.of(Delivery.PENDING, Delivery.DELIVERED, Delivery.DEAD, Delivery.CANCELLED);
  private static final TypeReference<List<String>> LIST = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final Clock clock;
  private final JsonMapper json;
  private final EventLog events;
  private final Webhooks webhooks;
  private final MailRedaction redaction;
  private final WebhookEgress egress;

  Deliveries(
      JdbcClient jdbc,
      Clock clock,
      JsonMapper json,
      EventLog events,
      Webhooks webhooks,
      MailRedaction redaction,
      WebhookEgress egress) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.json = json;
    this.events = events;
    this.webhooks = webhooks;
    this.redaction = redaction;
    this.egress = egress;
  }

  public record Attempt(Instant attemptedAt, boolean succeeded, String error) {}

  public record Mail(
      long id,
      long outboxId,
      String subscriptionId,
      String recipient,
      String subject,
      String textBody,
      String htmlBody,
      List<String> attachments,
      boolean viaSmtp,
      Instant sentAt) {}

  public record EndpointRequest(String url, String secret, List<String> eventTypes) {}

  public record Endpoint(
      String id,
      String url,
      List<String> eventTypes,
      boolean enabled,
      Instant createdAt,
      String createdBy) {}

  public List<Delivery> deliveries(
      String state, String subscriptionId, String endpointId, Integer limit, Integer offset) {
    Validator v = new Validator();
    v.check(state == null || STATES.contains(state), "state", "one of " + STATES);
    v.throwIfAny();
    Filter filter =
        Filter.of("select * from outbox")
            .eq("state", state)
            .eq("subscription_id", subscriptionId)
            .eq("endpoint_id", endpointId);
    boolean details = Actor.current().is(Role.ADMIN);
    return jdbc.sql(filter.newestFirst(limit, offset))
        .params(filter.params())
        .query(
            (rs, n) ->
                new Delivery(
                    rs.getLong("id"),
                    rs.getString("kind"),
                    rs.getString("target"),
                    rs.getString("event_type"),
                    rs.getString("subscription_id"),
                    rs.getString("endpoint_id"),
                    rs.getString("state"),
                    rs.getInt("attempts"),
                    Db.instant(rs, "next_attempt_at"),
                    Db.instant(rs, "created_at"),
                    Db.instant(rs, "delivered_at"),
                    error(rs.getString("kind"), rs.getString("last_error"), details)))
        .list();
  }

  /**
   * What a webhook error says depends on who asks: how an endpoint failed ("answered 401", "connect
   * timed out") maps the network behind it, so only an ADMIN (who registers endpoints) reads it.
   */
  private static String error(String kind, String error, boolean details) {
    return error == null || details || !Outbox.WEBHOOK.equals(kind)
        ? error
        : "the webhook delivery failed (an admin sees why)";
  }

  public List<Attempt> attempts(long id) {
    boolean details = Actor.current().is(Role.ADMIN);
    return jdbc.sql(
            "select a.attempted_at, a.succeeded, a.error, o.kind from delivery_attempts a join"
                + " outbox o on o.id = a.outbox_id where a.outbox_id = ? order by a.id")
        .param(id)
        .query(
            (rs, n) ->
                new Attempt(
                    Db.instant(rs, "attempted_at"),
                    rs.getBoolean(2),
                    error(rs.getString(4), rs.getString(3), details)))
        .list();
  }

  /** How many deliveries are in {@code state} (e.g. the dead letters). */
  public long count(String state) {
    return jdbc.sql("select count(*) from outbox where state = ?")
        .param(state)
        .query(Long.class)
        .single();
  }

  /** A DEAD delivery gets a fresh set of attempts, starting now. */
  @Transactional
  public Map<String, Object> retry(long id) {
    int changed =
        jdbc.sql(
                "update outbox set state = 'PENDING', attempts = 0, next_attempt_at = ? where id ="
                    + " ? and state = 'DEAD'")
            .params(Db.ts(clock.instant()), id)
            .update();
    if (changed == 0) {
      boolean exists =
          jdbc.sql("select count(*) from outbox where id = ?").param(id).query(Long.class).single()
              > 0;
      if (!exists) {
        throw KeyturnServerException.notFound("delivery", Long.toString(id));
      }
      throw new KeyturnServerException(
          ErrorCode.CONFLICT, "delivery " + id + " is not DEAD; only dead deliveries are retried");
    }
    events.record(
        "delivery.retried", Actor.current().name(), null, null, Map.of("delivery_id", id));
    return Map.of("id", id, "state", Delivery.PENDING);
  }

  public List<Mail> mails(String subscriptionId, String recipient, Integer limit, Integer offset) {
    Filter filter =
        Filter.of(
                "select * from (select m.*, o.payload from mails m join outbox o on o.id ="
                    + " m.outbox_id) sent")
            .eq("subscription_id", subscriptionId)
            .eq("recipient", recipient);
    return jdbc.sql(filter.newestFirst(limit, offset))
        .params(filter.params())
        .query(
            (rs, n) -> {
              MailMessage sent = json.readValue(rs.getString("payload"), MailMessage.class);
              return new Mail(
                  rs.getLong("id"),
                  rs.getLong("outbox_id"),
                  rs.getString("subscription_id"),
                  rs.getString("recipient"),
                  rs.getString("subject"),
                  redaction.forStaff(sent.text()),
                  redaction.forStaff(sent.html()),
                  rs.getString("attachments").isEmpty()
                      ? List.of()
                      : List.of(rs.getString("attachments").split(",")),
                  rs.getBoolean("via_smtp"),
                  Db.instant(rs, "sent_at"));
            })
        .list();
  }

  @Transactional
  public Endpoint register(EndpointRequest body) {
    Validator v = new Validator();
    if (body.url() == null) {
      v.error("url", "an absolute http(s) URL");
    } else {
      egress.refusal(body.url()).ifPresent(reason -> v.error("url", reason));
    }
    v.check(
        body.secret() != null && body.secret().length() >= 16 && body.secret().length() <= 200,
        "secret",
        "16 to 200 characters");
    List<String> types = body.eventTypes() == null ? List.of() : body.eventTypes();
    v.check(!types.isEmpty(), "event_types", "at least one event type, or \"*\"");
    for (int i = 0; i < types.size(); i++) {
      String t = types.get(i);
      v.check(
          "*".equals(t) || Webhooks.EVENT_TYPES.contains(t),
          "event_types[" + i + "]",
          "unknown event type '" + t + "'; known: " + Webhooks.EVENT_TYPES);
    }
    v.throwIfAny();
    String id = Ids.next("whe", clock);
    Actor actor = Actor.current();
    jdbc.sql(
            "insert into webhook_endpoints (id, url, secret, event_types, enabled, created_at,"
                + " created_by) values (?, ?, ?, ?, true, ?, ?)")
        .params(
            id,
            body.url(),
            body.secret(),
            json.writeValueAsString(types),
            Db.ts(clock.instant()),
            actor.name())
        .update();
    events.record(
        "webhook_endpoint.registered",
        actor.name(),
        null,
        null,
        Map.of("endpoint_id", id, "url", body.url(), "event_types", types));
    return endpoint(id);
  }

  public List<Endpoint> endpoints() {
    return jdbc.sql("select * from webhook_endpoints order by created_at, id")
        .query(this::mapEndpoint)
        .list();
  }

  @Transactional
  public Endpoint disable(String id) {
    endpoint(id);
    jdbc.sql("update webhook_endpoints set enabled = false where id = ?").param(id).update();
    // A disabled endpoint gets nothing more, not even what was queued for it.
    int cancelled =
        jdbc.sql(
                "update outbox set state = ?, last_error = 'endpoint disabled' where endpoint_id ="
                    + " ? and state = 'PENDING'")
            .params(Delivery.CANCELLED, id)
            .update();
    events.record(
        "webhook_endpoint.disabled",
        Actor.current().name(),
        null,
        null,
        Map.of("endpoint_id", id, "cancelled_deliveries", cancelled));
    return endpoint(id);
  }

  /** Enqueues a {@code webhook.test} event for this endpoint only. */
  @Transactional
  public Map<String, Object> test(String id) {
    Endpoint e = endpoint(id);
    if (!e.enabled()) {
      throw new KeyturnServerException(
          ErrorCode.CONFLICT, "webhook endpoint " + id + " is disabled: it receives nothing");
    }
    webhooks.publishTo(e.id(), e.url(), "webhook.test", null, Map.of("endpoint_id", id));
    return Map.of("endpoint_id", id, "queued", true);
  }

  public Endpoint endpoint(String id) {
    return jdbc.sql("select * from webhook_endpoints where id = ?")
        .param(id)
        .query(this::mapEndpoint)
        .optional()
        .orElseThrow(() -> KeyturnServerException.notFound("webhook endpoint", id));
  }

  private Endpoint mapEndpoint(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    return new Endpoint(
        rs.getString("id"),
        rs.getString("url"),
        json.readValue(rs.getString("event_types"), LIST),
        rs.getBoolean("enabled"),
        Db.instant(rs, "created_at"),
        rs.getString("created_by"));
  }
}
