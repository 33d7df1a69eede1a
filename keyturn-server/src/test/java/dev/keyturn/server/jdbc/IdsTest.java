package dev.keyturn.server.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void ids_are_prefixed_crockford_base32_and_sort_by_creation_time() {
    String earlier =
        Ids.next("sub", Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC));
    String later =
        Ids.next("sub", Clock.fixed(Instant.parse("2026-11-23T10:00:01Z"), ZoneOffset.UTC));
    assertThat(earlier).matches("sub_[0-9A-HJKMNP-TV-Z]{26}");
    assertThat(earlier.compareTo(later)).isNegative();
  }

  @Test
  void ids_made_in_the_same_millisecond_differ() {
    Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    assertThat(Ids.next("lic", clock)).isNotEqualTo(Ids.next("lic", clock));
  }
}
