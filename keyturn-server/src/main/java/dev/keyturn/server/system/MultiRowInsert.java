package dev.keyturn.server.system;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

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
      List<Object> params = new ArrayList<>();
      for (Object[] values : chunk) {
        Collections.addAll(params, values);
      }
      inserted +=
          jdbc.update(
              into
                  + " values "
                  + String.join(", ", Collections.nCopies(chunk.size(), row))
                  + (suffix.isEmpty() ? "" : " " + suffix),
              params.toArray());
    }
    return inserted;
  }
}
