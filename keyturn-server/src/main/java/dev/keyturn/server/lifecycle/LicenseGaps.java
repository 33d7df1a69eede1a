package dev.keyturn.server.lifecycle;

import dev.keyturn.server.jdbc.Db;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Live subscriptions paid (or contracted) beyond the expiry of their newest license. */
@Component
public final class LicenseGaps {
  public record Gap(
      String subscriptionId,
      String displayName,
      Instant paidThrough,
      Instant newestLicenseExpiresAt) {}

  private static final String GAPS =
      "select s.id, s.display_name, case when s.contract_end is not null and (s.paid_through is"
          + " null or s.contract_end > s.paid_through) then s.contract_end else s.paid_through end"
          + " as covered, (select max(l.expires_at) from licenses l where l.subscription_id = s.id"
          + " and l.revoked_at is null) as newest from subscriptions s where s.archived_at is null"
          + " and (s.paid_through > ? or s.contract_end > ?)";

  private final JdbcClient jdbc;

  public LicenseGaps(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Every gap of the fleet. Only a subscription covered beyond {@code now} can have one, so the
   * pass reads those (both dates are indexed), not the whole fleet.
   */
  public List<Gap> find(Instant now) {
    return gaps(jdbc.sql(GAPS).params(Db.ts(now), Db.ts(now)).query(this::gap).list(), now);
  }

  /**
   * The gaps among subscriptions that could have opened one since {@code since}: a gap opens only
   * when paid-through or the contract end moves (which moves {@code updated_at}) or a license is
   * revoked; both columns are indexed, so this costs what changed, not the fleet.
   */
  public List<Gap> changedSince(Instant since, Instant now) {
    return gaps(
        jdbc.sql(
                GAPS
                    + " and s.id in (select id from subscriptions where updated_at >= ? union"
                    + " select subscription_id from licenses where revoked_at >= ?)")
            .params(Db.ts(now), Db.ts(now), Db.ts(since), Db.ts(since))
            .query(this::gap)
            .list(),
        now);
  }

  private Gap gap(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    return new Gap(
        rs.getString("id"),
        rs.getString("display_name"),
        Db.instant(rs, "covered"),
        Db.instant(rs, "newest"));
  }

  private static List<Gap> gaps(List<Gap> candidates, Instant now) {
    return candidates.stream()
        .filter(g -> g.paidThrough().isAfter(now))
        .filter(
            g ->
                g.newestLicenseExpiresAt() == null
                    || g.paidThrough().isAfter(g.newestLicenseExpiresAt()))
        .toList();
  }
}
