package dev.keyturn.server.clock.internal;

import dev.keyturn.server.clock.TestClock;
import dev.keyturn.server.config.KeyturnProperties;
import dev.keyturn.server.config.SetupException;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/** The one clock the whole server reads. */
@Configuration(proxyBeanMethods = false)
class ClockConfiguration {

  @Bean
  Clock clock(KeyturnProperties properties, Environment environment) {
    if (!properties.testClock().enabled()) {
      return Clock.systemUTC();
    }
    if (environment.acceptsProfiles(Profiles.of("prod"))) {
      throw new SetupException(
          "keyturn.test-clock.enabled=true is refused in the prod profile: a movable clock would let"
              + " anyone with the admin role expire or extend every license");
    }
    return new TestClock(Clock.systemUTC());
  }
}
