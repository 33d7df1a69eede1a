package dev.keyturn.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.security.Role;
import dev.keyturn.testing.Browser;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The server over real HTTP and one headless Chromium per test class (Debian's, see {@link
 * Browser}). Every test starts signed out, with no cookies. Waits are on conditions in the page,
 * never sleeps. Subclasses pick the database with {@link OnH2} or {@link OnPostgres}.
 */
public abstract class BrowserTest extends ServerTest {
  protected static ChromeDriver driver;
  private static java.nio.file.Path profile;

  @BeforeAll
  static void startBrowser() {
    Browser.requireInstalled(Assumptions::abort);
    profile = Browser.freshProfile();
    driver = Browser.start(profile);
  }

  @AfterAll
  static void stopBrowser() {
    if (driver != null) {
      driver.quit();
      driver = null;
    }
    if (profile != null) {
      Browser.deleteProfile(profile);
      profile = null;
    }
  }

  @BeforeEach
  void signedOut() {
    driver.manage().deleteAllCookies();
  }

  /** Opens a path of the server under test, e.g. {@code /console}. */
  protected void open(String path) {
    driver.get("http://localhost:" + port + path);
  }

  /** Signs in to the staff console as the bootstrap admin. */
  protected void signInAsAdmin() {
    signIn("admin", ADMIN_PASSWORD);
  }

  /** Signs in to the staff console as a user of that role (created on first use). */
  protected void signInAs(Role role) {
    if (role == Role.ADMIN) {
      signInAsAdmin();
      return;
    }
    as(role); // makes the user once per server
    signIn(username(role), USER_PASSWORD);
  }

  protected void signIn(String username, String password) {
    open("/console/login");
    driver.findElement(By.id("username")).sendKeys(username);
    driver.findElement(By.id("password")).sendKeys(password);
    driver.findElement(By.id("sign-in")).click();
    // Lands on the page asked for, or back on the sign-in page with ?error.
    waitUntil(d -> !d.getCurrentUrl().endsWith("/console/login"));
  }

  protected String pageText() {
    return driver.findElement(By.tagName("body")).getText();
  }

  protected Optional<WebElement> first(By by) {
    List<WebElement> found = driver.findElements(by);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  protected <T> T waitUntil(Function<WebDriver, T> condition) {
    // A page being replaced (after a form post) leaves stale elements for a moment, and a lookup
    // that races the navigation is aborted; both just mean "not yet".
    return new WebDriverWait(driver, Duration.ofSeconds(10), Duration.ofMillis(50))
        .ignoring(StaleElementReferenceException.class)
        .ignoring(WebDriverException.class)
        .until(condition);
  }

  /** Saves the page as target/screenshots/{name}.png (and to -Dkeyturn.screenshots=dir). */
  protected void screenshot(String name) {
    assertThat(Browser.screenshot(driver, name)).isNotEmptyFile();
  }
}
