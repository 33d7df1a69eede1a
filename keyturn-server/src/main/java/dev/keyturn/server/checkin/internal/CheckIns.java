package dev.keyturn.server.checkin.internal;

import dev.keyturn.core.license.GraceMode;
import dev.keyturn.core.license.LicensePolicy;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.policy.PolicyCodec;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The reads of the check-in hot path, kept to two narrow queries: the presented license with what
 * check-in needs of its subscription, and a newer license if there is one.
 */
@Component
class CheckIns {
  private final JdbcClient jdbc;

  CheckIns(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A license as check-in sees it. */
  record Held(
      String id,
      String subscriptionId,
      Instant notBefore,
      Instant expiresAt,
      Policy policy,
      Instant revokedAt,
      String revokedMessage,
      String boundInstanceId,
      boolean archived,
      String text,
      Instant lastCheckInAt,
      String lastCheckIn,
      Instant newestExpiresAt,
      boolean paymentFailing) {

    /** Whether the subscription has a usable license expiring after this one. */
    boolean hasNewer() {
      return newestExpiresAt != null && newestExpiresAt.isAfter(expiresAt);
    }
  }

  /**
   * The presented license, its subscription's binding and last report, and when the newest usable
   * license of the subscription expires: one query on the steady path.
   */
  Optional<Held> byTokenHash(String tokenHash, Instant now) {
    return jdbc.sql(
            "select l.id, l.subscription_id, l.not_before, l.expires_at, l.policy_preset,"
                + " l.grace_days, l.grace_mode, l.policy_definition, l.revoked_at, l.revoked_customer_message, null as"
                + " license_text, s.bound_instance_id, s.archived_at, s.last_check_in_at,"
                + " s.last_check_in, s.payment_failing_since, (select max(n.expires_at) from licenses n where"
                + " n.subscription_id = l.subscription_id and n.revoked_at is null and"
                + " n.not_before <= ?) as newest_expires_at from licenses l join subscriptions s"
                + " on s.id = l.subscription_id where l.token_hash = ?")
        .params(Db.ts(now), tokenHash)
        .query(CheckIns::map)
        .optional();
  }

  /** The newest unrevoked, already valid license expiring after {@code than}, with its file. */
  Optional<Held> newer(String subscriptionId, Instant than, Instant now) {
    return jdbc.sql(
            "select l.id, l.subscription_id, l.not_before, l.expires_at, l.policy_preset,"
                + " l.grace_days, l.grace_mode, l.policy_definition, l.revoked_at, l.revoked_customer_message, l.license_text,"
                + " null as bound_instance_id, null as archived_at, null as last_check_in_at,"
                + " null as last_check_in, null as payment_failing_since, null as newest_expires_at from licenses l where"
                + " l.subscription_id = ? and l.revoked_at is null and l.not_before <= ? and"
                + " l.expires_at > ? order by l.expires_at desc, l.issued_at desc, l.id desc limit"
                + " 1")
        .params(subscriptionId, Db.ts(now), Db.ts(than))
        .query(CheckIns::map)
        .optional();
  }

  /**
   * A pool checkout and the cheapest query there is: what any read of check-in pays before its own
   * work (the benchmark's read floor, {@link NoopController}).
   */
  void roundTrip() {
    jdbc.sql("select 1").query(Integer.class).single();
  }

  private static Held map(ResultSet rs, int row) throws SQLException {
    String graceMode = rs.getString("grace_mode");
    String definition = rs.getString("policy_definition");
    // A custom policy is carried whole (format 2); a preset by name and grace.
    Policy policy =
        definition != null
            ? PolicyCodec.decode(definition)
            : Policy.forLicense(
                new LicensePolicy(
                    rs.getString("policy_preset"),
                    rs.getInt("grace_days"),
                    GraceMode.fromTomlName(graceMode)
                        .orElseThrow(() -> new IllegalStateException("grace mode " + graceMode))));
    return new Held(
        rs.getString("id"),
        rs.getString("subscription_id"),
        Db.instant(rs, "not_before"),
        Db.instant(rs, "expires_at"),
        policy,
        Db.instant(rs, "revoked_at"),
        rs.getString("revoked_customer_message"),
        rs.getString("bound_instance_id"),
        rs.getObject("archived_at") != null,
        rs.getString("license_text"),
        Db.instant(rs, "last_check_in_at"),
        rs.getString("last_check_in"),
        Db.instant(rs, "newest_expires_at"),
        rs.getObject("payment_failing_since") != null);
  }
}
