package dev.keyturn.server.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The server's own settings ({@code keyturn.*}; environment variables such as {@code
 * KEYTURN_DATA_DIR} bind by Spring's relaxed rules).
 *
 * @param dataDir where the embedded database, the dev master key file and other local state live
 * @param masterKey base64 of 32 bytes that encrypt the signing keys at rest ({@code
 *     KEYTURN_MASTER_KEY}); wins over {@code masterKeyFile}
 * @param masterKeyFile a file holding that base64 key; defaults to {@code <dataDir>/master.key}
 * @param adminPassword the bootstrap admin's password on first start ({@code
 *     KEYTURN_ADMIN_PASSWORD}); generated and printed once when absent
 * @param checkInInterval how often clients are told to check in again
 * @param publicUrl the address people reach this server at ({@code KEYTURN_PUBLIC_URL}), for links
 *     in mails; without a trailing slash
 */
@ConfigurationProperties("keyturn")
public record KeyturnProperties(
    Path dataDir,
    String masterKey,
    Path masterKeyFile,
    String adminPassword,
    Duration checkInInterval,
    TestClock testClock,
    String publicUrl) {

  public static final Path DEFAULT_DATA_DIR = Path.of("keyturn-data");
  public static final Duration DEFAULT_CHECK_IN_INTERVAL = Duration.ofHours(12);
  public static final String DEFAULT_PUBLIC_URL = "http://localhost:8080";

  public KeyturnProperties {
    dataDir = dataDir == null ? DEFAULT_DATA_DIR : dataDir;
    masterKeyFile = masterKeyFile == null ? dataDir.resolve("master.key") : masterKeyFile;
    checkInInterval = checkInInterval == null ? DEFAULT_CHECK_IN_INTERVAL : checkInInterval;
    testClock = testClock == null ? new TestClock(false) : testClock;
    publicUrl =
        publicUrl == null || publicUrl.isBlank()
            ? DEFAULT_PUBLIC_URL
            : publicUrl.strip().replaceAll("/+$", "");
  }

  /** {@code keyturn.test-clock.enabled}: a movable server clock to rehearse renewals. */
  public record TestClock(boolean enabled) {}
}
