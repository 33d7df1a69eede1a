package dev.keyturn.server.support;

import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/** Points the server under test at this run's PostgreSQL schema. */
public final class PostgresInitializer
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {
  @Override
  public void initialize(ConfigurableApplicationContext context) {
    context
        .getEnvironment()
        .getPropertySources()
        .addFirst(
            new MapPropertySource(
                "keyturn-test-postgres",
                Map.of(
                    "spring.datasource.url",
                    PostgresDatabase.url(),
                    "spring.datasource.username",
                    PostgresDatabase.user(),
                    "spring.datasource.password",
                    "",
                    // pgjdbc announces the JVM's zone at connect, which overrides `options` in the
                    // URL; setting it on each new connection makes the session zone certain.
                    "spring.datasource.hikari.connection-init-sql",
                    "set time zone '" + PostgresDatabase.SESSION_TIME_ZONE + "'")));
  }
}
