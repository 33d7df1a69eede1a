package dev.keyturn.server.delivery;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class WebhookIsolationH2Test extends WebhookIsolationTests {
  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) {
    production(r);
    r.add(
        "spring.datasource.url",
        () ->
            "jdbc:h2:mem:keyturn-isolation-test;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
  }
}
