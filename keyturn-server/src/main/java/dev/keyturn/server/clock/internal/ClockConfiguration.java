package dev.keyturn.server.clock.internal;

import dev.keyturn.server.clock.OffsetStore;
import dev.keyturn.server.clock.TestClock;
import dev.keyturn.server.config.KeyturnProperties;
import dev.keyturn.server.config.SetupException;
import java.time.Clock;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The one clock the whole server reads. */
@Configuration(proxyBeanMethods = false)
class ClockConfiguration {

  /** After the migrations: a test clock reads its stored offset as it is made. */
  @Bean
  @DependsOnDatabaseInitialization
  Clock clock(
      KeyturnProperties properties, Environment environment, ObjectProvider<JdbcClient> jdbc) {
    return clock(properties, environment, () -> new JdbcOffsetStore(jdbc.getObject()));
  }

  Clock clock(KeyturnProperties properties, Environment environment, Supplier<OffsetStore> store) {
    if (!properties.testClock().enabled()) {
      return Clock.systemUTC();
    }
    if (environment.acceptsProfiles(Profiles.of("prod"))) {
      throw new SetupException(
          "keyturn.test-clock.enabled=true is refused in the prod profile: a movable clock would let"
              + " anyone with the admin role expire or extend every license");
    }
    // Closed with the context (Spring calls a bean's close()), which stops its reading thread.
    return TestClock.refreshedInBackground(Clock.systemUTC(), store.get());
  }
}
