package dev.keyturn.server.jdbc;

import dev.keyturn.server.web.Paging;
import java.util.ArrayList;
import java.util.List;

/**
 * A listing query with optional equality filters: each {@link #eq} with a null value is left out,
 * so a search endpoint's optional parameters read as one line each. Column names come from code,
 * never from the request; values are always bound parameters.
 */
public final class Filter {
  private final StringBuilder sql;
  private final List<Object> params = new ArrayList<>();

  private Filter(String select) {
    this.sql = new StringBuilder(select).append(" where 1 = 1");
  }

  /** {@code select} without a where clause, e.g. {@code "select * from outbox"}. */
  public static Filter of(String select) {
    return new Filter(select);
  }

  public Filter eq(String column, Object value) {
    if (value != null) {
      sql.append(" and ").append(column).append(" = ?");
      params.add(value);
    }
    return this;
  }

  /** The statement, newest id first, one page of it (see {@link Paging}). */
  public String newestFirst(Integer limit, Integer offset) {
    return sql
        + " order by id desc limit "
        + Paging.limit(limit)
        + " offset "
        + Paging.offset(offset);
  }

  public List<Object> params() {
    return params;
  }
}
