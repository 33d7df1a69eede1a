package dev.keyturn.example.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.client.LicenseManager;
import dev.keyturn.client.SettableClock;
import dev.keyturn.client.web.WebSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium per test class; a fresh notes app per test, on a random port, on a settable
 * clock that only moves when the test says so. Waits are on conditions in the page, never sleeps.
 */
abstract class BrowserTestBase {
  /** The demo's clock starts here: a Sunday morning, nothing special about it. */
  static final Instant START = Instant.parse("2027-01-10T09:00:00Z");

  /** Where screenshots go: always under target/, and to -Dkeyturn.screenshots=dir when set. */
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  static ChromeDriver driver;
  static Path profile;

  @TempDir Path dir;
  ApplianceApp app;
  Demo demo;

  @BeforeAll
  static void startBrowser() {
    Browser.requireInstalled();
    profile = Browser.freshProfile();
    driver = Browser.start(profile);
  }

  @AfterAll
  static void stopBrowser() throws IOException {
    if (driver != null) {
      driver.quit();
      driver = null;
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @AfterEach
  void stopApp() {
    if (app != null) {
      app.close();
    }
  }

  /** Starts the notes app with the appliance preset. */
  void start() {
    start("appliance", b -> b, b -> b);
  }

  void start(
      String preset,
      UnaryOperator<WebSettings.Builder> web,
      UnaryOperator<LicenseManager.Builder> manager) {
    SettableClock clock = new SettableClock(START);
    demo = Demo.create(clock, dir.resolve("vendor-keys"), preset);
    try {
      app =
          ApplianceApp.start(
              new ApplianceApp.Config(
                  dir.resolve("data"),
                  "127.0.0.1",
                  0,
                  clock,
                  demo.trustedKeys(),
                  b -> web.apply(b.renewalEmail("renewals@vendor.example")),
                  b -> manager.apply(b.background(false).zone(ZoneId.of("UTC"))),
                  Optional.of(demo)));
    } catch (Exception e) {
      throw new IllegalStateException("the notes app did not start", e);
    }
  }

  // ---------------------------------------------------------------- the page

  void open(String path) {
    driver.get(app.url().resolve(path).toString());
  }

  /** Opens a product page and waits until the banner shows the latest standing. */
  void openProduct(String path) {
    open(path);
    waitForBanner();
  }

  void waitForBanner() {
    waitUntil(d -> "ready".equals(html().getAttribute("data-keyturn-state")));
  }

  void reload() {
    driver.navigate().refresh();
    waitForBanner();
  }

  WebElement html() {
    return driver.findElement(By.tagName("html"));
  }

  Optional<WebElement> banner() {
    return first(By.cssSelector("[data-keyturn-banner]"));
  }

  Optional<WebElement> closeButton() {
    return first(By.cssSelector("[data-keyturn-banner] [data-keyturn-close]"));
  }

  Optional<WebElement> pill() {
    return first(By.cssSelector("[data-keyturn-pill-button]"));
  }

  Optional<WebElement> first(By by) {
    List<WebElement> found = driver.findElements(by);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  String pageText() {
    return driver.findElement(By.tagName("body")).getText();
  }

  <T> T waitUntil(Function<WebDriver, T> condition) {
    // A page being replaced (after a form post, a reload) leaves stale elements for a moment, and
    // a lookup that races the navigation is aborted; both just mean "not yet". On timeout the last
    // such error is reported as the cause.
    return new WebDriverWait(driver, Duration.ofSeconds(10), Duration.ofMillis(50))
        .ignoring(StaleElementReferenceException.class)
        .ignoring(WebDriverException.class)
        .until(condition);
  }

  void waitForGone(By by) {
    waitUntil(ExpectedConditions.numberOfElementsToBe(by, 0));
  }

  /** The element's background as Chromium computes it, e.g. {@code rgba(29, 78, 216, 1)}. */
  static String background(WebElement e) {
    return e.getCssValue("background-color");
  }

  /** Types a whole license file into the paste box, as a person pasting it would end up with. */
  void paste(String licenseText) {
    WebElement box = driver.findElement(By.id("kt-license"));
    box.clear();
    box.sendKeys(licenseText);
  }

  /** A few notes, so that pages look like a product in use. */
  void seedNotes() {
    app.notes().add("Renew the TLS certificate for the staging cluster");
    app.notes().add("Quarterly review with the Lisbon team: move to Thursday 14:00");
    app.notes().add("Ask facilities about the second monitor for Ana");
  }

  void addNote(String text) {
    WebElement box = driver.findElement(By.id("note-text"));
    box.sendKeys(text);
    driver.findElement(By.id("save-note")).click();
  }

  // ---------------------------------------------------------------- time

  void jumpTo(String stage) {
    demo.jumpTo(stage);
  }

  void advance(Duration d) {
    demo.advance(d);
  }

  // ---------------------------------------------------------------- screenshots

  /**
   * Saves a PNG of the page as {@code name}.png: the window is made as tall as what is on it, so
   * the lock card is whole and a short page has no empty band below.
   */
  void screenshot(String name) {
    long bottom =
        (Long)
            driver.executeScript(
                "return Math.ceil(Math.max(0, ...Array.from(document.body.children)"
                    + ".filter(e => e.tagName !== 'SCRIPT')"
                    + ".map(e => e.getBoundingClientRect().bottom + window.scrollY)))");
    long frame = (Long) driver.executeScript("return window.outerHeight - window.innerHeight");
    Dimension before = driver.manage().window().getSize();
    driver.manage().window().setSize(new Dimension(Browser.WIDTH, (int) (bottom + 40 + frame)));
    byte[] png = driver.getScreenshotAs(OutputType.BYTES);
    driver.manage().window().setSize(before);
    assertThat(png).isNotEmpty();
    try {
      Files.createDirectories(SCREENSHOTS);
      Files.write(SCREENSHOTS.resolve(name + ".png"), png);
      String extra = System.getProperty("keyturn.screenshots");
      if (extra != null && !extra.isBlank()) {
        Path target = Path.of(extra);
        Files.createDirectories(target);
        Files.copy(
            SCREENSHOTS.resolve(name + ".png"),
            target.resolve(name + ".png"),
            StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
