package dev.keyturn.server.identity.internal;

import dev.keyturn.server.jdbc.Db;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The TOTP enrolments, their recovery codes and the sign-in policy: the identity module's tables.
 * Secrets arrive sealed and codes hashed; nothing here sees them in the clear.
 */
@Component
public class TotpStore {
  private final JdbcClient jdbc;

  TotpStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public record Enrolment(
      String username, String secretSealed, Instant enrolledAt, long lastStep) {}

  public Optional<Enrolment> find(String username) {
    return jdbc.sql("select * from totp_enrolments where username = ?")
        .param(username)
        .query(
            (rs, n) ->
                new Enrolment(
                    rs.getString("username"),
                    rs.getString("secret_sealed"),
                    Db.instant(rs, "enrolled_at"),
                    rs.getLong("last_step")))
        .optional();
  }

  public Set<String> enrolledUsernames() {
    // list(), not stream(): an unclosed stream would keep its connection from the pool.
    return Set.copyOf(jdbc.sql("select username from totp_enrolments").query(String.class).list());
  }

  /** Replaces any earlier enrolment of the user, with its recovery codes. */
  public void enrol(String username, String secretSealed, Instant at, List<String> codeHashes) {
    delete(username);
    jdbc.sql(
            "insert into totp_enrolments (username, secret_sealed, enrolled_at, last_step) values"
                + " (?, ?, ?, ?)")
        .params(username, secretSealed, Db.ts(at), -1L)
        .update();
    for (String hash : codeHashes) {
      jdbc.sql("insert into totp_recovery_codes (username, code_hash) values (?, ?)")
          .params(username, hash)
          .update();
    }
  }

  /**
   * Moves the user's newest accepted step forward to {@code step}; false when that step (or a later
   * one) was taken already, which is how a code is refused the second time, also when two requests
   * race with it.
   */
  public boolean takeStep(String username, long step) {
    return jdbc.sql("update totp_enrolments set last_step = ? where username = ? and last_step < ?")
            .params(step, username, step)
            .update()
        == 1;
  }

  /** Uses up one recovery code; false when it is unknown or used already. */
  public boolean useRecoveryCode(String username, String codeHash, Instant at) {
    return jdbc.sql(
                "update totp_recovery_codes set used_at = ? where username = ? and code_hash = ?"
                    + " and used_at is null")
            .params(Db.ts(at), username, codeHash)
            .update()
        == 1;
  }

  public long recoveryCodesLeft(String username) {
    return jdbc.sql(
            "select count(*) from totp_recovery_codes where username = ? and used_at is null")
        .param(username)
        .query(Long.class)
        .single();
  }

  /**
   * @return true when there was an enrolment to delete
   */
  public boolean delete(String username) {
    jdbc.sql("delete from totp_recovery_codes where username = ?").param(username).update();
    return jdbc.sql("delete from totp_enrolments where username = ?").param(username).update() == 1;
  }

  public boolean totpRequired() {
    return jdbc.sql("select totp_required from staff_sign_in_policy where id = 1")
        .query(Boolean.class)
        .single();
  }

  public void setTotpRequired(boolean required, Instant at, String by) {
    jdbc.sql(
            "update staff_sign_in_policy set totp_required = ?, changed_at = ?, changed_by = ?"
                + " where id = 1")
        .params(required, Db.ts(at), by)
        .update();
  }
}
