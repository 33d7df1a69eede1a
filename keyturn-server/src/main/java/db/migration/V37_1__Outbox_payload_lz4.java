package db.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On PostgreSQL, an outbox row's payload (a rendered mail, about 2 KB of JSON) is compressed with
 * LZ4 and stays in the row. Just above PostgreSQL's 2 KB threshold, the default (pglz) left it
 * uncompressed in the row, so delivering a mail, which updates its row's state and so writes the
 * row anew, copied the whole mail again; LZ4 halves it at a fraction of pglz's cost, where moving
 * it out of line (TOAST) made every insert write a second table. bench/server-daily/README.md has
 * the figures. A server built without LZ4 keeps the default, as does H2. In Java because only one
 * database has the statement.
 */
public class V37_1__Outbox_payload_lz4 extends BaseJavaMigration {
  @Override
  public void migrate(Context context) throws SQLException {
    Connection c = context.getConnection();
    if (!"PostgreSQL".equals(c.getMetaData().getDatabaseProductName())) {
      return;
    }
    try (Statement s = c.createStatement()) {
      boolean lz4;
      try (ResultSet r =
          s.executeQuery(
              "select count(*) from pg_settings where name = 'default_toast_compression' and"
                  + " 'lz4' = any(enumvals)")) {
        lz4 = r.next() && r.getInt(1) == 1;
      }
      if (lz4) {
        s.execute("alter table outbox alter column payload set compression lz4");
      }
    }
  }
}
