package dev.keyturn.server.checkin.internal;

import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
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

  private final CheckIns checkIns;

  NoopController(CheckIns checkIns) {
    this.checkIns = checkIns;
  }

  @PostMapping("/api/v1/bench/noop")
  Map<String, Boolean> noop() {
    return OK;
  }

  @PostMapping("/api/v1/bench/noop-read")
  Map<String, Boolean> noopRead() {
    checkIns.roundTrip();
    return OK;
  }
}
