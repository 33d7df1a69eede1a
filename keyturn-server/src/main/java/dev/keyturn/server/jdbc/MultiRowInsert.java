package dev.keyturn.server.jdbc;

import java.util.Collections;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementSetter;

/**
 * Inserts many rows with multi-row {@code VALUES} statements (up to {@link #ROWS_PER_STATEMENT}
 * rows each): the database plans and executes one statement per chunk rather than one per row,
 * which is most of the cost of a narrow row. PostgreSQL and H2 both accept the syntax.
 */
public final class MultiRowInsert {
  static final int ROWS_PER_STATEMENT = 100;

  private MultiRowInsert() {}

  /**
   * @param into {@code insert into table (columns)}
   * @param row one row's values, e.g. {@code (?, ?, 'PENDING')}
   * @param suffix what follows the values, e.g. {@code on conflict do nothing}, or empty
   * @return the number of rows inserted
   */
  public static int insert(
      JdbcTemplate jdbc, String into, String row, String suffix, List<Object[]> rows) {
    int inserted = 0;
    for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
      List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
      inserted +=
          jdbc.update(
              into
                  + " values "
                  + String.join(", ", Collections.nCopies(chunk.size(), row))
                  + (suffix.isEmpty() ? "" : " " + suffix),
              bind(chunk));
    }
    return inserted;
  }

  /**
   * Binds the rows' values in order with plain {@code setObject}. JdbcTemplate's own binding of an
   * {@code Object[]} inspects each value and checks its trace log for it: for statements of
   * hundreds of parameters, that was the largest part of a sweep's time in the server.
   */
  public static PreparedStatementSetter bind(List<Object[]> rows) {
    return ps -> {
      int i = 1;
      for (Object[] values : rows) {
        for (Object value : values) {
          ps.setObject(i++, value);
        }
      }
    };
  }
}
