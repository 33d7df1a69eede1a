package dev.keyturn.server.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.ContextConfiguration;

/** Runs a {@link ServerTest} against the local PostgreSQL. All such classes share one server. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(PostgresAvailable.class)
@ContextConfiguration(initializers = PostgresInitializer.class)
public @interface OnPostgres {}
