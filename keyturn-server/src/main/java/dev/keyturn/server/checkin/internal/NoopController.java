package dev.keyturn.server.checkin.internal;

import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An endpoint that does nothing, behind the same filters as check-in: the ceiling the check-in
 * benchmark is compared against. Exists only with {@code keyturn.bench.enabled=true}.
 */
@RestController
@ConditionalOnProperty(name = "keyturn.bench.enabled", havingValue = "true")
class NoopController {
  private static final Map<String, Boolean> OK = Map.of("ok", true);

  @PostMapping("/api/v1/bench/noop")
  Map<String, Boolean> noop() {
    return OK;
  }
}
