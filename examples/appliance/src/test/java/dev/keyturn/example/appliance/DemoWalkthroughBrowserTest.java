package dev.keyturn.example.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The demo as a new user tries it, through the pages only: move the clock at /demo, see each
 * banner, get locked, take a renewal from the demo vendor, paste it, and be back at work.
 */
class DemoWalkthroughBrowserTest extends BrowserTestBase {
  private void clickStage(String stage) {
    open("/demo");
    waitForBanner();
    driver.findElement(By.cssSelector("button[data-stage='" + stage + "']")).click();
    waitUntil(d -> d.getCurrentUrl().endsWith("/demo"));
    waitForBanner();
  }

  private String level() {
    return banner().map(b -> b.getAttribute("data-level")).orElse("NONE");
  }

  @Test
  void from_a_fresh_demo_to_locked_and_back_through_the_pages_alone() {
    start();
    openProduct("/");
    addNote("First note of the demo");
    waitUntil(d -> pageText().contains("1 note"));

    clickStage("D-30");
    assertThat(driver.findElement(By.id("demo-summary")).getText()).isEqualTo("expires in 30 days");
    assertThat(level()).isEqualTo("INFO");
    screenshot("demo-controls");

    clickStage("D-15");
    assertThat(level()).isEqualTo("WARNING");
    clickStage("D-7");
    assertThat(level()).isEqualTo("WARNING");
    clickStage("D-1");
    assertThat(level()).isEqualTo("DANGER");
    clickStage("EXPIRY");
    assertThat(banner().orElseThrow().getText()).contains("60 days remaining before lock");
    clickStage("LOCK");
    assertThat(driver.findElement(By.id("demo-mode")).getText()).isEqualTo("LOCKED");
    assertThat(level()).isEqualTo("LOCK");
    assertThat(driver.findElement(By.className("app-header")).getCssValue("display"))
        .as("app.css still reaches the demo page while the product is locked")
        .isEqualTo("flex");

    driver.findElement(By.cssSelector("button[name=kind][value=renewal]")).click();
    WebElement license = waitUntil(d -> d.findElement(By.id("demo-license")));
    String text = license.getAttribute("value");
    assertThat(text).startsWith("# Keyturn license for Demo Customer Inc.");

    open("/");
    waitForBanner();
    assertThat(html().getAttribute("data-keyturn-page")).isEqualTo("lock");
    paste(text);
    driver.findElement(By.cssSelector("#kt-install-form button[type=submit]")).click();

    waitUntil(d -> d.findElements(By.id("note-text")).size() == 1);
    assertThat(pageText()).contains("First note of the demo");
    addNote("Back at work");
    waitUntil(d -> pageText().contains("2 notes"));
  }

  @Test
  void the_controls_count_days_up_like_every_other_days_left() {
    start();
    demo.clock().advance(Duration.ofMinutes(5)); // a few minutes after the demo started

    open("/demo");
    waitForBanner();

    assertThat(inDays("D-30")).isEqualTo("in 1 day");
    assertThat(inDays("D-1")).isEqualTo("in 30 days");
    assertThat(inDays("EXPIRY")).isEqualTo("in 31 days");
  }

  private String inDays(String stage) {
    return driver.findElement(By.cssSelector("button[data-stage='" + stage + "'] small")).getText();
  }

  @Test
  void the_license_page_installs_a_renewal_before_anything_locks() {
    start();
    seedNotes();
    clickStage("D-7");
    open("/license/");
    waitForBanner();
    assertThat(driver.findElement(By.cssSelector(".kt-status")).getText())
        .isEqualTo("Expires in 7 days");

    paste(demo.renewal());
    driver.findElement(By.cssSelector("#kt-install-form button[type=submit]")).click();

    // The page shows the result, reloads, and shows it again from session storage: wait for the
    // reloaded page (the new standing), then for the carried result.
    waitUntil(d -> d.findElement(By.cssSelector(".kt-status")).getText().equals("Active"));
    waitUntil(
        d ->
            d.findElement(By.cssSelector("#kt-install-result .kt-result--ok"))
                .getText()
                .contains("VALID"));
    screenshot("license-page");
    openProduct("/");
    assertThat(banner()).isEmpty();
  }
}
