package dev.keyturn.server.console.mail;

import dev.keyturn.server.delivery.Delivery;
import dev.keyturn.server.delivery.MailMessage;
import dev.keyturn.server.delivery.MailRedaction;
import dev.keyturn.server.delivery.Outbox;
import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.web.KeyturnServerException;
import dev.keyturn.server.web.ValidationException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The mail log: every mail in the outbox, pending, sent or dead. The outbox row holds the whole
 * rendered message (attachments included), so a mail reads the same before and after it is sent.
 */
@Component
public class MailLog {
  static final int PAGE = 50;
  private static final Set<String> STATES =
      Set.of(Delivery.PENDING, Delivery.DELIVERED, Delivery.DEAD);

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final MailRedaction redaction;

  MailLog(JdbcClient jdbc, JsonMapper json, MailRedaction redaction) {
    this.jdbc = jdbc;
    this.json = json;
    this.redaction = redaction;
  }

  /** Filters of the log; blank means "any". */
  public record Filter(String status, String recipient, String subscriptionId, String eventType) {
    public Filter {
      status = blankToNull(status);
      recipient = blankToNull(recipient);
      subscriptionId = blankToNull(subscriptionId);
      eventType = blankToNull(eventType);
    }
  }

  /**
   * One mail: its message and where it stands. {@code viaSmtp} is null until sent; false means
   * stored only (no SMTP server configured).
   */
  public record StoredMail(
      long id,
      String eventType,
      String subscriptionId,
      String state,
      int attempts,
      Instant createdAt,
      Instant deliveredAt,
      Instant nextAttemptAt,
      String lastError,
      Boolean viaSmtp,
      MailMessage message) {

    public String status() {
      if (Delivery.DELIVERED.equals(state)) {
        return Boolean.TRUE.equals(viaSmtp) ? "sent" : "stored";
      }
      return state.toLowerCase(Locale.ROOT);
    }
  }

  List<StoredMail> find(Filter f, int page) {
    if (f.status() != null && !STATES.contains(f.status())) {
      throw ValidationException.of("status", "one of " + STATES);
    }
    StringBuilder sql = new StringBuilder(SELECT).append(" where o.kind = ?");
    List<Object> params = new ArrayList<>(List.of(Outbox.MAIL));
    if (f.status() != null) {
      sql.append(" and o.state = ?");
      params.add(f.status());
    }
    if (f.recipient() != null) {
      sql.append(" and lower(o.target) like ?");
      params.add("%" + f.recipient().toLowerCase(Locale.ROOT) + "%");
    }
    if (f.subscriptionId() != null) {
      sql.append(" and o.subscription_id = ?");
      params.add(f.subscriptionId());
    }
    if (f.eventType() != null) {
      sql.append(" and o.event_type = ?");
      params.add(f.eventType());
    }
    sql.append(" order by o.id desc limit ")
        .append(PAGE + 1) // one more tells whether there is a next page
        .append(" offset ")
        .append(Math.max(0, page) * PAGE);
    return jdbc.sql(sql.toString()).params(params).query(this::map).list();
  }

  StoredMail get(long id) {
    return jdbc.sql(SELECT + " where o.kind = ? and o.id = ?")
        .params(Outbox.MAIL, id)
        .query(this::map)
        .optional()
        .orElseThrow(() -> KeyturnServerException.notFound("mail", Long.toString(id)));
  }

  private static final String SELECT =
      "select o.*, (select max(case when m.via_smtp then 1 else 0 end) from mails m where"
          + " m.outbox_id = o.id) as smtp from outbox o";

  private StoredMail map(ResultSet rs, int n) throws SQLException {
    int smtp = rs.getInt("smtp");
    Boolean viaSmtp = rs.wasNull() ? null : smtp == 1;
    return new StoredMail(
        rs.getLong("id"),
        rs.getString("event_type"),
        rs.getString("subscription_id"),
        rs.getString("state"),
        rs.getInt("attempts"),
        Db.instant(rs, "created_at"),
        Db.instant(rs, "delivered_at"),
        Db.instant(rs, "next_attempt_at"),
        rs.getString("last_error"),
        viaSmtp,
        redaction.forStaff(json.readValue(rs.getString("payload"), MailMessage.class)));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
