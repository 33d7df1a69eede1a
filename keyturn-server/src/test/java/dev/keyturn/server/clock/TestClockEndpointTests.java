package dev.keyturn.server.clock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.ServerTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

abstract class TestClockEndpointTests extends ServerTest {

  @Test
  void an_admin_moves_the_one_server_clock_forward() {
    Api admin = admin();
    Instant before = Instant.parse(admin.get("/api/v1/test-clock").field("now"));

    Api.Response advanced = admin.post("/api/v1/test-clock", Map.of("advance", "P2D"));
    assertThat(advanced.status()).as(advanced.toString()).isEqualTo(200);
    Instant after = Instant.parse(advanced.field("now"));
    assertThat(Duration.between(before, after)).isGreaterThanOrEqualTo(Duration.ofDays(2));
    assertThat(clock.instant()).isAfterOrEqualTo(after);

    Instant target = after.plus(Duration.ofDays(10));
    Api.Response set = admin.post("/api/v1/test-clock", Map.of("set", target.toString()));
    assertThat(Instant.parse(set.field("now"))).isBetween(target, target.plusSeconds(5));
    assertThat(admin.get("/api/v1/events?type=test_clock.moved&limit=1").json()).hasSize(1);
  }

  @Test
  void the_clock_never_moves_back() {
    Api admin = admin();
    Instant now = clock.instant();
    Api.Response back =
        admin.post("/api/v1/test-clock", Map.of("set", now.minusSeconds(3600).toString()));
    Api.Response negative = admin.post("/api/v1/test-clock", Map.of("advance", "-PT1H"));
    Api.Response both =
        admin.post("/api/v1/test-clock", Map.of("advance", "PT1H", "set", now.toString()));

    assertThat(back.status()).isEqualTo(400);
    assertThat(back.code()).isEqualTo("test_clock.backwards");
    assertThat(negative.code()).isEqualTo("test_clock.backwards");
    assertThat(both.code()).isEqualTo("validation.failed");
    assertThat(clock.instant()).isAfterOrEqualTo(now);
  }
}
