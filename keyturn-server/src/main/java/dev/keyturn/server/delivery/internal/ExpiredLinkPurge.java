package dev.keyturn.server.delivery.internal;

import dev.keyturn.server.delivery.MailRedaction;
import dev.keyturn.server.jdbc.Db;
import java.time.Duration;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * One-time sign-in links are kept in the stored mail (the mail log) and in its outbox row only
 * while they could still be used: {@link #AFTER} their mail was made (the links themselves expire
 * after 15 minutes), the token in them is replaced by the mask staff see anyway.
 */
@Component
public class ExpiredLinkPurge {
  public static final Duration AFTER = Duration.ofHours(1);
  private static final String HAS_TOKEN = "%token=%";
  private static final String MASKED = "%token=" + MailRedaction.MASK.substring(0, 7) + "%";

  private final JdbcClient jdbc;

  ExpiredLinkPurge(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Masks the tokens of links made before {@code now − AFTER}; returns how many rows changed. */
  public int purge(Instant now) {
    Object cutoff = Db.ts(now.minus(AFTER));
    int changed = 0;
    for (Stored mail :
        jdbc.sql(
                "select id, text_body, html_body from mails where sent_at < ? and text_body like ?"
                    + " and text_body not like ?")
            .params(cutoff, HAS_TOKEN, MASKED)
            .query(Stored.class)
            .list()) {
      changed +=
          jdbc.sql("update mails set text_body = ?, html_body = ? where id = ?")
              .params(
                  MailRedaction.mask(mail.textBody()),
                  MailRedaction.mask(mail.htmlBody()),
                  mail.id())
              .update();
    }
    for (Payload row :
        jdbc.sql(
                "select id, payload from outbox where kind = 'MAIL' and state <> 'PENDING' and"
                    + " created_at < ? and payload like ? and payload not like ?")
            .params(cutoff, HAS_TOKEN, MASKED)
            .query(Payload.class)
            .list()) {
      changed +=
          jdbc.sql("update outbox set payload = ? where id = ?")
              .params(MailRedaction.mask(row.payload()), row.id())
              .update();
    }
    return changed;
  }

  record Stored(long id, String textBody, String htmlBody) {}

  record Payload(long id, String payload) {}
}
