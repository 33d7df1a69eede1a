package dev.keyturn.server.config.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Tells whoever just ran the server where to point their browser. */
@Component
class StartupBanner {
  private static final Logger log = LoggerFactory.getLogger(StartupBanner.class);

  private final Environment environment;

  StartupBanner(Environment environment) {
    this.environment = environment;
  }

  @EventListener(ApplicationReadyEvent.class)
  void ready() {
    String port = environment.getProperty("local.server.port", "8080");
    String base = "http://localhost:" + port;
    log.info(
        "\n\n  Keyturn server is running.\n  Open {}/swagger-ui.html (the REST API under {}/api/v1,"
            + " OpenAPI at {}/v3/api-docs)\n",
        base,
        base,
        base);
  }
}
