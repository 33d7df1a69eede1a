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
 * Drops the foreign key from {@code notices.license_id} to {@code licenses}. Checking it locks the
 * license row ({@code FOR KEY SHARE}), and a row lock is a write: every notice claim dirtied and
 * logged a page of the wide, otherwise read-only {@code licenses} table, the largest single cost of
 * a catch-up after the claims themselves (bench/server-sweep/README.md). Licenses are never
 * deleted, and the sweep claims notices only for licenses it has just read, so the key guarded
 * nothing. In Java because H2 names an unnamed constraint itself: the name is looked up.
 */
public class V28__Notice_claims_without_license_lock extends BaseJavaMigration {
  @Override
  public void migrate(Context context) throws SQLException {
    Connection c = context.getConnection();
    DatabaseMetaData meta = c.getMetaData();
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
