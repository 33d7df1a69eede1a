package dev.keyturn.server;

import dev.keyturn.server.billing.StripeProperties;
import dev.keyturn.server.config.AutomationProperties;
import dev.keyturn.server.config.KeyturnProperties;
import dev.keyturn.server.config.OidcProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The vendor's license server. */
@SpringBootApplication
@EnableConfigurationProperties({
  KeyturnProperties.class,
  AutomationProperties.class,
  OidcProperties.class,
  StripeProperties.class
})
public class KeyturnServer {
  public static void main(String[] args) {
    SpringApplication.run(KeyturnServer.class, args);
  }
}
