package db.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On PostgreSQL, the primary key of {@code usage_daily} also carries {@code max_value}, so a
 * subscription's year of usage is read from the key alone (an index-only scan of a dozen pages)
 * instead of one heap page per day: check-ins write the days of all subscriptions side by side, so
 * a subscription's rows lie on 365 different pages. bench/usage-history/README.md has the figures.
 * The cost is on the rare write that raises a day's maximum, which now updates the key too. H2 has
 * no {@code INCLUDE}; its table stays as V34 made it. In Java because only one database has the
 * statement.
 */
public class V34_3__Usage_daily_covering_key extends BaseJavaMigration {
  /** The statement, also run by bench/usage-history/run.sh on its database. */
  public static final String POSTGRES =
      "alter table usage_daily drop constraint usage_daily_pkey, add constraint usage_daily_pkey"
          + " primary key (subscription_id, usage_day, limit_name, installation_id) include"
          + " (max_value)";

  @Override
  public void migrate(Context context) throws SQLException {
    Connection c = context.getConnection();
    if ("PostgreSQL".equals(c.getMetaData().getDatabaseProductName())) {
      try (Statement s = c.createStatement()) {
        s.execute(POSTGRES);
      }
    }
  }
}
