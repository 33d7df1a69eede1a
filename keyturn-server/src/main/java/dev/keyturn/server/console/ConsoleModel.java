package dev.keyturn.server.console;

import dev.keyturn.server.config.KeyturnProperties;
import java.time.Clock;
import java.time.Instant;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What every console page gets in its model: who is signed in, and the server's time. */
@ControllerAdvice(basePackageClasses = ConsoleModel.class)
class ConsoleModel {
  private final Clock clock;
  private final KeyturnProperties properties;

  ConsoleModel(Clock clock, KeyturnProperties properties) {
    this.clock = clock;
    this.properties = properties;
  }

  @ModelAttribute("me")
  ConsoleUser me() {
    return ConsoleUser.current(properties.testClock().enabled());
  }

  /** The server's clock, which the test clock may have moved: pages compute "days left" from it. */
  @ModelAttribute("now")
  Instant now() {
    return clock.instant();
  }
}
