package dev.keyturn.server.delivery;

import dev.keyturn.server.audit.EventListener;
import dev.keyturn.server.jdbc.Ids;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns events into outbox rows, one per endpoint registered for the type. Audit events of the
 * types in {@link #FROM_AUDIT} go out as they are recorded; lifecycle events (expiring, expired,
 * grace started, locked) are published by the sweep with its notices, so that after downtime only
 * the most urgent one goes out, like the mails.
 */
@Component
public class Webhooks implements EventListener {
  public static final Set<String> EVENT_TYPES =
      Set.of(
          "license.expiring",
          "license.expired",
          "license.grace_started",
          "license.locked",
          "license.issued",
          "license.renewed",
          "license.revoked",
          "subscription.archived",
          "subscription.reactivated",
          "subscription.upfront_payment_required",
          "payment.failed",
          "renewal.requested",
          "instance.conflict",
          "license.gap_detected",
          "usage.over_limit",
          "usage.over_allowance",
          "webhook.test");

  static final Set<String> FROM_AUDIT =
      Set.of(
          "license.issued",
          "license.renewed",
          "license.revoked",
          "subscription.archived",
          "subscription.reactivated",
          "subscription.upfront_payment_required",
          "payment.failed",
          "instance.conflict",
          "license.gap_detected",
          "usage.over_limit",
          "usage.over_allowance");

  private static final TypeReference<List<String>> LIST = new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final Outbox outbox;
  private final Clock clock;
  private final JsonMapper json;

  Webhooks(JdbcClient jdbc, Outbox outbox, Clock clock, JsonMapper json) {
    this.jdbc = jdbc;
    this.outbox = outbox;
    this.clock = clock;
    this.json = json;
  }

  @Override
  public void recorded(
      String type, String subscriptionId, String licenseId, Map<String, ?> metadata) {
    if (FROM_AUDIT.contains(type)) {
      Map<String, Object> data = new LinkedHashMap<>(metadata);
      if (licenseId != null) {
        data.put("license_id", licenseId);
      }
      publish(type, subscriptionId, data);
    }
  }

  /** An enabled endpoint and the event types it asked for ({@code *}: all). */
  public record Endpoint(String id, String url, List<String> types) {
    public boolean wants(String type) {
      return types.contains(type) || types.contains("*");
    }
  }

  /** The enabled endpoints; the sweep reads them once per batch. */
  public List<Endpoint> endpoints() {
    return jdbc.sql("select id, url, event_types from webhook_endpoints where enabled = true")
        .query(
            (rs, n) ->
                new Endpoint(
                    rs.getString(1), rs.getString(2), json.readValue(rs.getString(3), LIST)))
        .list();
  }

  /** Enqueues the event for every enabled endpoint that asked for its type. */
  public void publish(String type, String subscriptionId, Map<String, ?> data) {
    outbox.enqueue(entries(endpoints(), type, subscriptionId, data));
  }

  /** The outbox rows that publish the event to those of {@code endpoints} that asked for it. */
  public List<Outbox.Entry> entries(
      List<Endpoint> endpoints, String type, String subscriptionId, Map<String, ?> data) {
    List<Outbox.Entry> entries = new ArrayList<>();
    for (Endpoint endpoint : endpoints) {
      if (endpoint.wants(type)) {
        entries.add(entry(endpoint.id(), endpoint.url(), type, subscriptionId, data));
      }
    }
    return entries;
  }

  void publishTo(
      String endpointId, String url, String type, String subscriptionId, Map<String, ?> data) {
    outbox.enqueue(List.of(entry(endpointId, url, type, subscriptionId, data)));
  }

  private Outbox.Entry entry(
      String endpointId, String url, String type, String subscriptionId, Map<String, ?> data) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", Ids.next("evt", clock));
    body.put("type", type);
    body.put("created_at", clock.instant().toString());
    body.put("subscription_id", subscriptionId);
    body.put("data", data);
    return Outbox.webhookEntry(
        endpointId, url, type, subscriptionId, json.writeValueAsString(body));
  }
}
