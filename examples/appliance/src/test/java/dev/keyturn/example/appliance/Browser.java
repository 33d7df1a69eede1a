package dev.keyturn.example.appliance;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium and chromedriver, driven by Selenium. Nothing is ever downloaded: the driver
 * service is given the chromedriver executable and the options the browser binary, so Selenium
 * Manager is never asked to find either (and runs offline if it were: see the surefire settings).
 *
 * <p>Absent programs skip the browser tests locally, and fail them under {@code CI=true}.
 */
final class Browser {
  static final Path CHROMIUM = Path.of(env("KEYTURN_CHROMIUM", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(env("KEYTURN_CHROMEDRIVER", "/usr/bin/chromedriver"));
  static final int WIDTH = 1280;
  static final int HEIGHT = 800;

  private Browser() {}

  /** Skips (locally) or fails (CI) when Chromium or chromedriver is missing. */
  static void requireInstalled() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    String message =
        "browser tests need "
            + CHROMIUM
            + " and "
            + CHROMEDRIVER
            + " (Debian: apt-get install -y chromium chromium-driver, or run"
            + " examples/appliance/install-browser.sh)";
    if (!present && "true".equals(System.getenv("CI"))) {
      Assertions.fail("CI=true and " + message);
    }
    if (!present) {
      // Surefire counts a class skipped in @BeforeAll as zero tests: say why where people look.
      System.err.println("[keyturn] browser tests skipped: " + message);
    }
    Assumptions.assumeTrue(present, "skipped: " + message);
  }

  static ChromeDriver start(Path profile) {
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--disable-search-engine-choice-screen",
        "--lang=en-US",
        "--window-size=" + WIDTH + "," + HEIGHT,
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    return driver;
  }

  static Path freshProfile() {
    try {
      return Files.createTempDirectory("keyturn-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
