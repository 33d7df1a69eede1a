package dev.keyturn.server.delivery;

import dev.keyturn.server.support.OnPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@OnPostgres
class WebhookIsolationPostgresTest extends WebhookIsolationTests {
  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) {
    production(r);
  }
}
