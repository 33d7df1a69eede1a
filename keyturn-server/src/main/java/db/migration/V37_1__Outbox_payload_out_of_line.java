package db.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On PostgreSQL, an outbox row keeps its payload (a rendered mail, about 2 KB) out of line,
 * uncompressed: delivering a row updates its state, and PostgreSQL writes an updated row whole, so
 * with the payload inline every delivery copied the mail once more (and compressed it first). Out
 * of line, the update copies a pointer. bench/server-daily/README.md has the figures. H2 has no
 * such settings. In Java because only one database has the statements.
 */
public class V37_1__Outbox_payload_out_of_line extends BaseJavaMigration {
  @Override
  public void migrate(Context context) throws SQLException {
    Connection c = context.getConnection();
    if ("PostgreSQL".equals(c.getMetaData().getDatabaseProductName())) {
      try (Statement s = c.createStatement()) {
        s.execute("alter table outbox alter column payload set storage external");
        s.execute("alter table outbox set (toast_tuple_target = 256)");
      }
    }
  }
}
