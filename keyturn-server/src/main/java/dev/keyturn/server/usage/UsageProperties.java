package dev.keyturn.server.usage;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Usage history settings ({@code keyturn.usage.*}).
 *
 * @param rawRetention how long every check-in's raw report is kept ({@code
 *     KEYTURN_USAGE_RAWRETENTION}, e.g. {@code 90d}); the daily maxima are kept for good
 */
@ConfigurationProperties("keyturn.usage")
public record UsageProperties(Duration rawRetention) {
  public static final Duration DEFAULT_RAW_RETENTION = Duration.ofDays(90);

  public UsageProperties {
    rawRetention = rawRetention == null ? DEFAULT_RAW_RETENTION : rawRetention;
    if (rawRetention.compareTo(Duration.ofDays(1)) < 0) {
      throw new IllegalArgumentException(
          "keyturn.usage.raw-retention must be at least a day (1d), was " + rawRetention);
    }
  }
}
