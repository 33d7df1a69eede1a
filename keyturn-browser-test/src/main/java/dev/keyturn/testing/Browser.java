package dev.keyturn.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium and chromedriver, driven by Selenium. Nothing is ever downloaded: the driver
 * service is given the chromedriver executable and the options the browser binary, so Selenium
 * Manager is never asked to find either (and runs offline if it were: see the surefire settings of
 * the modules that use this, {@code SE_OFFLINE=true}).
 *
 * <p>Absent programs skip browser tests locally and fail them under {@code CI=true}: see {@link
 * #requireInstalled}.
 */
public final class Browser {
  public static final Path CHROMIUM = Path.of(env("KEYTURN_CHROMIUM", "/usr/bin/chromium"));
  public static final Path CHROMEDRIVER =
      Path.of(env("KEYTURN_CHROMEDRIVER", "/usr/bin/chromedriver"));
  public static final int WIDTH = 1280;
  public static final int HEIGHT = 800;

  private Browser() {}

  /** Why browser tests cannot run here, if they cannot. */
  public static Optional<String> missing() {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return Optional.empty();
    }
    return Optional.of(
        "browser tests need "
            + CHROMIUM
            + " and "
            + CHROMEDRIVER
            + " (Debian: apt-get install -y chromium chromium-driver, or run"
            + " examples/appliance/install-browser.sh)");
  }

  /**
   * Returns when the browser is here. Otherwise fails under {@code CI=true} (an {@link
   * AssertionError}), and elsewhere says why on stderr and calls {@code skip} (e.g. JUnit's {@code
   * Assumptions::abort}): surefire counts a class skipped in {@code @BeforeAll} as zero tests, so
   * the reason must show where people look.
   */
  public static void requireInstalled(Consumer<String> skip) {
    Optional<String> why = missing();
    if (why.isEmpty()) {
      return;
    }
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI=true and " + why.get());
    }
    System.err.println("[keyturn] browser tests skipped: " + why.get());
    skip.accept("skipped: " + why.get());
  }

  /** A headless Chromium on a fresh profile of its own. */
  public static ChromeDriver start(Path profile) {
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

  public static Path freshProfile() {
    try {
      return Files.createTempDirectory("keyturn-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes a profile made by {@link #freshProfile()}. */
  public static void deleteProfile(Path profile) {
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where screenshots go: always under target/, and to -Dkeyturn.screenshots=dir when set. */
  public static final Path SCREENSHOTS = Path.of("target", "screenshots");

  /**
   * Saves a PNG of the page as {@code name}.png: the window is made as tall as what is on it, so a
   * long page is whole and a short one has no empty band below.
   *
   * @return the file under {@link #SCREENSHOTS}
   */
  public static Path screenshot(ChromeDriver driver, String name) {
    long bottom =
        (Long)
            driver.executeScript(
                "return Math.ceil(Math.max(0, ...Array.from(document.body.children)"
                    + ".filter(e => e.tagName !== 'SCRIPT')"
                    + ".map(e => e.getBoundingClientRect().bottom + window.scrollY)))");
    long frame = (Long) driver.executeScript("return window.outerHeight - window.innerHeight");
    Dimension before = driver.manage().window().getSize();
    driver.manage().window().setSize(new Dimension(WIDTH, (int) (bottom + 40 + frame)));
    byte[] png = driver.getScreenshotAs(OutputType.BYTES);
    driver.manage().window().setSize(before);
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, png);
      String extra = System.getProperty("keyturn.screenshots");
      if (extra != null && !extra.isBlank()) {
        Path target = Path.of(extra);
        Files.createDirectories(target);
        Files.copy(file, target.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
