package dev.keyturn.server.delivery;

import dev.keyturn.server.system.Db;
import java.time.Clock;
import org.springframework.jdbc.core.simple.JdbcClient;
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

  private final JdbcClient jdbc;
  private final Clock clock;
  private final JsonMapper json;

  Outbox(JdbcClient jdbc, Clock clock, JsonMapper json) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.json = json;
  }

  public void mail(MailMessage message, String eventType, String subscriptionId) {
    insert(MAIL, message.to(), eventType, subscriptionId, null, json.writeValueAsString(message));
  }

  /**
   * @param body the exact JSON body to sign and post
   */
  public void webhook(
      String endpointId, String url, String eventType, String subscriptionId, String body) {
    insert(WEBHOOK, url, eventType, subscriptionId, endpointId, body);
  }

  private void insert(
      String kind,
      String target,
      String eventType,
      String subscriptionId,
      String endpointId,
      String payload) {
    jdbc.sql(
            "insert into outbox (kind, target, event_type, subscription_id, endpoint_id, payload,"
                + " state, attempts, next_attempt_at, created_at) values (?, ?, ?, ?, ?, ?,"
                + " 'PENDING', 0, ?, ?)")
        .params(
            kind,
            target,
            eventType,
            subscriptionId,
            endpointId,
            payload,
            Db.ts(clock.instant()),
            Db.ts(clock.instant()))
        .update();
  }
}
