package dev.keyturn.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.config.AutomationProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doubles_after_each_failure_up_to_the_cap() {
    AutomationProperties p =
        new AutomationProperties(
            null,
            new AutomationProperties.Delivery(
                null, Duration.ofSeconds(30), Duration.ofMinutes(5), 8),
            null,
            null);
    DeliveryWorker worker = new DeliveryWorker(null, null, null, null, null, null, null, p, null);

    assertThat(worker.backoff(1)).isEqualTo(Duration.ofSeconds(30));
    assertThat(worker.backoff(2)).isEqualTo(Duration.ofSeconds(60));
    assertThat(worker.backoff(3)).isEqualTo(Duration.ofSeconds(120));
    assertThat(worker.backoff(4)).isEqualTo(Duration.ofSeconds(240));
    assertThat(worker.backoff(5)).isEqualTo(Duration.ofMinutes(5));
    assertThat(worker.backoff(50)).isEqualTo(Duration.ofMinutes(5));
  }
}
