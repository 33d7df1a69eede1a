package dev.keyturn.server.checkin.internal;

import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Endpoints that do nothing, behind the same filters as check-in: the ceiling the check-in
 * benchmark is compared against, and the same with one database round trip, the floor under any
 * check-in that reads its license. Exist only with {@code keyturn.bench.enabled=true}.
 */
@RestController
@ConditionalOnProperty(name = "keyturn.bench.enabled", havingValue = "true")
class NoopController {
  private static final Map<String, Boolean> OK = Map.of("ok", true);

  private final JdbcClient jdbc;

  NoopController(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @PostMapping("/api/v1/bench/noop")
  Map<String, Boolean> noop() {
    return OK;
  }

  /** A pool checkout and the cheapest query there is: what one read costs before its work. */
  @PostMapping("/api/v1/bench/noop-read")
  Map<String, Boolean> noopRead() {
    jdbc.sql("select 1").query(Integer.class).single();
    return OK;
  }
}
