package dev.keyturn.server.lifecycle;

import dev.keyturn.server.system.Db;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Live subscriptions paid (or contracted) beyond the expiry of their newest license. */
public final class LicenseGaps {
  public record Gap(
      String subscriptionId,
      String displayName,
      Instant paidThrough,
      Instant newestLicenseExpiresAt) {}

  private final JdbcClient jdbc;

  public LicenseGaps(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public List<Gap> find(Instant now) {
    return jdbc
        .sql(
            "select s.id, s.display_name, case when s.contract_end is not null and (s.paid_through"
                + " is null or s.contract_end > s.paid_through) then s.contract_end else"
                + " s.paid_through end as covered, (select max(l.expires_at) from licenses l where"
                + " l.subscription_id = s.id and l.revoked_at is null) as newest from subscriptions"
                + " s where s.archived_at is null and (s.paid_through is not null or s.contract_end"
                + " is not null)")
        .query(
            (rs, n) ->
                new Gap(
                    rs.getString("id"),
                    rs.getString("display_name"),
                    Db.instant(rs, "covered"),
                    Db.instant(rs, "newest")))
        .list()
        .stream()
        .filter(g -> g.paidThrough().isAfter(now))
        .filter(
            g ->
                g.newestLicenseExpiresAt() == null
                    || g.paidThrough().isAfter(g.newestLicenseExpiresAt()))
        .toList();
  }
}
