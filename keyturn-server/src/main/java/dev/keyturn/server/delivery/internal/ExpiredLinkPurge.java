package dev.keyturn.server.delivery.internal;

import dev.keyturn.server.delivery.MailRedaction;
import dev.keyturn.server.jdbc.Db;
import java.time.Duration;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * One-time sign-in links are kept in the stored mail (its outbox row, which the mail log reads)
 * only while they could still be used: {@link #AFTER} their mail was made (the links themselves
 * expire after 15 minutes), the token in them is replaced by the mask staff see anyway.
 *
 * <p>The outbox notes each such mail in {@code mail_link_masks} as it enqueues it ({@link #track});
 * a purge reads only the notes that are due, so a delivery run with nothing to mask costs one index
 * probe (it used to scan every stored mail and outbox row each time). A mail still waiting to go
 * out keeps its note until it has gone.
 */
@Component
public class ExpiredLinkPurge {
  public static final Duration AFTER = Duration.ofHours(1);
  private static final String TOKEN = "token=";

  private final JdbcClient jdbc;

  ExpiredLinkPurge(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Whether a stored mail may hold a sign-in link's token (the test the purge applies). */
  public static boolean holdsLink(String payload) {
    return payload.contains(TOKEN);
  }

  /** Notes a mail with a sign-in link, enqueued at {@code createdAt}, in its transaction. */
  public void track(long outboxId, Instant createdAt) {
    jdbc.sql("insert into mail_link_masks (outbox_id, mask_at) values (?, ?)")
        .params(outboxId, Db.ts(createdAt.plus(AFTER)))
        .update();
  }

  /**
   * Masks the tokens of the mails made before {@code now − AFTER} and no longer pending; returns
   * how many mails changed. Each mail is masked and its note deleted in statements of their own:
   * masking is idempotent, so a purge cut short (or run by two servers at once) is finished by the
   * next one.
   */
  public int purge(Instant now) {
    int changed = 0;
    for (long outboxId :
        jdbc.sql(
                "select m.outbox_id from mail_link_masks m join outbox o on o.id = m.outbox_id"
                    + " where m.mask_at <= ? and o.state <> 'PENDING'")
            .param(Db.ts(now))
            .query(Long.class)
            .list()) {
      String payload =
          jdbc.sql("select payload from outbox where id = ?")
              .param(outboxId)
              .query(String.class)
              .single();
      changed +=
          jdbc.sql("update outbox set payload = ? where id = ?")
              .params(MailRedaction.mask(payload), outboxId)
              .update();
      jdbc.sql("delete from mail_link_masks where outbox_id = ?").param(outboxId).update();
    }
    return changed;
  }
}
