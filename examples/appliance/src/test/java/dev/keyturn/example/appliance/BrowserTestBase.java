package dev.keyturn.example.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.client.LicenseManager;
import dev.keyturn.client.SettableClock;
import dev.keyturn.client.web.WebSettings;
import dev.keyturn.testing.Browser;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
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

  static ChromeDriver driver;
  static Path profile;

  @TempDir Path dir;
  ApplianceApp app;
  Demo demo;

  @BeforeAll
  static void startBrowser() {
    Browser.requireInstalled(Assumptions::abort);
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
      Browser.deleteProfile(profile);
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

  void screenshot(String name) {
    assertThat(Browser.screenshot(driver, name)).isNotEmptyFile();
  }
}
