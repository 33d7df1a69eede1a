package db.migration;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Two changes to what a catch-up sweep writes for each notice (bench/server-sweep/README.md has the
 * figures). In Java because each database needs its own statement.
 *
 * <ul>
 *   <li>The foreign key from {@code notices.license_id} to {@code licenses} goes. Checking it locks
 *       the license row ({@code FOR KEY SHARE}), and a row lock is a write: every notice claim
 *       dirtied and logged a page of the wide, otherwise read-only {@code licenses} table. Licenses
 *       are never deleted, and the sweep claims notices only for licenses it has just read, so the
 *       key guarded nothing. H2 names an unnamed constraint itself: the name is looked up.
 *   <li>On PostgreSQL, {@code outbox} rows up to 4 KB stay as they are. A rendered mail is about 2
 *       KB, just over the default threshold, so each one was compressed on insert (a tenth of the
 *       database's CPU in a catch-up) to save a kilobyte of a row that lives for days.
 * </ul>
 */
public class V28__Sweep_write_path extends BaseJavaMigration {
  @Override
  public void migrate(Context context) throws SQLException {
    Connection c = context.getConnection();
    DatabaseMetaData meta = c.getMetaData();
    dropNoticeLicenseKey(c, meta);
    if ("PostgreSQL".equals(meta.getDatabaseProductName())) {
      try (Statement s = c.createStatement()) {
        s.execute("alter table outbox set (toast_tuple_target = 4080)");
      }
    }
  }

  private static void dropNoticeLicenseKey(Connection c, DatabaseMetaData meta)
      throws SQLException {
    String table = meta.storesUpperCaseIdentifiers() ? "NOTICES" : "notices";
    List<String> keys = new ArrayList<>();
    try (ResultSet rs = meta.getImportedKeys(c.getCatalog(), c.getSchema(), table)) {
      while (rs.next()) {
        if (rs.getString("FKCOLUMN_NAME").equalsIgnoreCase("license_id")) {
          keys.add(rs.getString("FK_NAME"));
        }
      }
    }
    if (keys.size() != 1) {
      throw new IllegalStateException(
          "expected one foreign key on notices.license_id, found " + keys);
    }
    String quote = meta.getIdentifierQuoteString();
    try (Statement s = c.createStatement()) {
      s.execute("alter table notices drop constraint " + quote + keys.get(0) + quote);
    }
  }
}
