package dev.keyturn.server.clock.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.server.clock.OffsetStore;
import dev.keyturn.server.clock.TestClock;
import dev.keyturn.server.config.KeyturnProperties;
import dev.keyturn.server.config.SetupException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class ClockConfigurationTest {
  private static KeyturnProperties testClock(boolean enabled) {
    return new KeyturnProperties(
        null, null, null, null, null, new KeyturnProperties.TestClock(enabled), null);
  }

  @Test
  void the_test_clock_is_refused_in_the_prod_profile() {
    MockEnvironment prod = new MockEnvironment();
    prod.setActiveProfiles("prod");
    assertThatThrownBy(
            () -> new ClockConfiguration().clock(testClock(true), prod, OffsetStore::inMemory))
        .isInstanceOf(SetupException.class)
        .hasMessageContaining("prod profile");
  }

  @Test
  void without_the_flag_the_clock_is_the_system_clock() {
    assertThat(
            new ClockConfiguration()
                .clock(testClock(false), new MockEnvironment(), OffsetStore::inMemory))
        .isNotInstanceOf(TestClock.class);
    assertThat(
            new ClockConfiguration()
                .clock(testClock(true), new MockEnvironment(), OffsetStore::inMemory))
        .isInstanceOf(TestClock.class);
  }
}
