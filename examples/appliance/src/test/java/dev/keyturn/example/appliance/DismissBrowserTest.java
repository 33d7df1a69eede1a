package dev.keyturn.example.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/** Closing banners: what stays closed, what comes back, what leaves a pill. */
class DismissBrowserTest extends BrowserTestBase {
  static final By BANNER = By.cssSelector("[data-keyturn-banner]");

  @Test
  void a_closed_d30_notice_stays_closed_after_a_reload_until_the_next_stage() {
    start();
    jumpTo("D-30");
    openProduct("/");
    closeButton().orElseThrow().click();
    waitForGone(BANNER);

    reload();
    assertThat(banner()).isEmpty();
    advance(Duration.ofDays(10));
    reload();
    assertThat(banner()).isEmpty();

    jumpTo("D-15");
    reload();
    assertThat(banner().orElseThrow().getText()).contains("expires in 15 days");
  }

  @Test
  void a_closed_d15_warning_comes_back_after_24_hours() {
    start();
    jumpTo("D-15");
    openProduct("/");
    closeButton().orElseThrow().click();
    waitForGone(BANNER);

    advance(Duration.ofHours(23));
    reload();
    assertThat(banner()).isEmpty();

    advance(Duration.ofHours(1));
    reload();
    assertThat(banner().orElseThrow().getAttribute("data-stage")).isEqualTo("D-15");
  }

  @Test
  void closing_the_d7_warning_leaves_a_red_pill_in_the_header_with_a_live_countdown() {
    start();
    seedNotes();
    jumpTo("D-7");
    openProduct("/");
    closeButton().orElseThrow().click();
    waitForGone(BANNER);

    WebElement pill = pill().orElseThrow();
    assertThat(pill.findElement(By.xpath("..")).getAttribute("data-keyturn-pill")).isNotNull();
    assertThat(background(pill)).isEqualTo(StageBannersBrowserTest.RED);
    assertThat(driver.switchTo().activeElement()).isEqualTo(pill);
    assertThat(pill.getAttribute("aria-label"))
        .isEqualTo("Expires in 7 days. Show the license notice.");
    String first = pill.getText();
    assertThat(first).matches("Expires in 6d 23h 5\\dm \\d\\ds");
    // Live: it counts down by the second, in the product's time.
    waitUntil(d -> !pill.getText().equals(first));
    screenshot("banner-d7-pill");

    reload();
    WebElement again = pill().orElseThrow();
    assertThat(banner()).isEmpty();
    again.click();
    assertThat(banner().orElseThrow().getText()).contains("expires in 7 days");
    assertThat(pill()).isEmpty();
  }

  @Test
  void the_close_button_works_from_the_keyboard() {
    start();
    jumpTo("D-30");
    openProduct("/");
    WebElement close = closeButton().orElseThrow();
    driver.executeScript("arguments[0].focus()", close);
    assertThat(driver.switchTo().activeElement()).isEqualTo(close);

    driver.switchTo().activeElement().sendKeys(Keys.ENTER);
    waitForGone(BANNER);
    reload();
    assertThat(banner()).isEmpty();
  }

  @Test
  void escape_closes_a_notice_the_keyboard_is_in() {
    start();
    jumpTo("D-15");
    openProduct("/");
    WebElement renew = banner().orElseThrow().findElement(By.linkText("Renew"));
    driver.executeScript("arguments[0].focus()", renew);

    driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
    waitForGone(BANNER);
  }

  @Test
  void d1_and_grace_have_no_close_button_at_all() {
    start();
    jumpTo("D-1");
    openProduct("/");
    assertThat(banner()).isPresent();
    assertThat(driver.findElements(By.cssSelector("[data-keyturn-banner] button"))).isEmpty();

    jumpTo("EXPIRY");
    reload();
    assertThat(banner().orElseThrow().getAttribute("data-stage")).isEqualTo("EXPIRY");
    assertThat(driver.findElements(By.cssSelector("[data-keyturn-banner] button"))).isEmpty();
  }
}
