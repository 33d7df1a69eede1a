package dev.keyturn.server.jdbc;

import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.util.function.SingletonSupplier;

/**
 * Which database the server runs on, for the few statements where PostgreSQL offers a faster form
 * than the SQL both databases share (the sweep's batch update, its commit mode). Asked of the
 * driver on first use, so that starting the server opens no connection for it.
 */
@Component
public class Dialect {
  private final Supplier<Boolean> postgres;

  public Dialect(DataSource dataSource) {
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    this.postgres =
        SingletonSupplier.of(
            () ->
                jdbc.execute(
                    (ConnectionCallback<Boolean>)
                        c -> "PostgreSQL".equals(c.getMetaData().getDatabaseProductName())));
  }

  public boolean postgres() {
    return postgres.get();
  }
}
