package dev.keyturn.example.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** docs/design.md §4's table, stage by stage, as the customer sees it in the notes app. */
class StageBannersBrowserTest extends BrowserTestBase {
  static final String BLUE = "rgba(29, 78, 216, 1)"; // #1d4ed8
  static final String ORANGE = "rgba(194, 65, 12, 1)"; // #c2410c
  static final String RED = "rgba(185, 28, 28, 1)"; // #b91c1c

  @Test
  void before_d30_there_is_no_banner() {
    start();
    openProduct("/");

    assertThat(banner()).isEmpty();
    assertThat(pill()).isEmpty();
    assertThat(pageText()).contains("Notes");
  }

  @Test
  void d30_is_a_blue_notice_that_can_be_closed_until_the_next_reminder() {
    start();
    seedNotes();
    jumpTo("D-30");
    openProduct("/");

    WebElement banner = banner().orElseThrow();
    assertThat(background(banner)).isEqualTo(BLUE);
    assertThat(banner.getAttribute("data-level")).isEqualTo("INFO");
    assertThat(banner.getAttribute("role")).isEqualTo("status");
    assertThat(banner.getAttribute("aria-live")).isEqualTo("polite");
    assertThat(banner.getText()).contains("Your license expires in 30 days");
    WebElement close = closeButton().orElseThrow();
    assertThat(close.getAttribute("aria-label"))
        .isEqualTo("Dismiss this license notice until the next reminder");
    assertThat(close.getTagName()).isEqualTo("button");
    screenshot("banner-d30");
  }

  @Test
  void d15_is_an_orange_warning_that_can_be_closed_for_a_day() {
    start();
    seedNotes();
    jumpTo("D-15");
    openProduct("/");

    WebElement banner = banner().orElseThrow();
    assertThat(background(banner)).isEqualTo(ORANGE);
    assertThat(banner.getAttribute("role")).isEqualTo("alert");
    assertThat(banner.getText()).contains("Your license expires in 15 days");
    assertThat(closeButton().orElseThrow().getAttribute("aria-label"))
        .isEqualTo("Dismiss this license notice for 24 hours");
    screenshot("banner-d15");
  }

  @Test
  void d7_is_an_orange_warning_whose_close_button_leaves_a_countdown() {
    start();
    seedNotes();
    jumpTo("D-7");
    openProduct("/");

    WebElement banner = banner().orElseThrow();
    assertThat(background(banner)).isEqualTo(ORANGE);
    assertThat(banner.getText()).contains("Your license expires in 7 days");
    assertThat(closeButton().orElseThrow().getAttribute("aria-label"))
        .isEqualTo("Collapse this license notice into a countdown");
    screenshot("banner-d7");
  }

  @Test
  void d1_is_red_and_cannot_be_closed() {
    start();
    seedNotes();
    jumpTo("D-1");
    openProduct("/");

    WebElement banner = banner().orElseThrow();
    assertThat(background(banner)).isEqualTo(RED);
    assertThat(banner.getAttribute("data-level")).isEqualTo("DANGER");
    assertThat(banner.getAttribute("role")).isEqualTo("alert");
    assertThat(banner.getText()).containsPattern("Your license expires (today|tomorrow) at");
    assertThat(closeButton()).isEmpty();
    screenshot("banner-d1");
  }

  @Test
  void grace_is_red_says_how_long_until_lock_and_cannot_be_closed() {
    start();
    seedNotes();
    jumpTo("EXPIRY");
    openProduct("/");

    WebElement banner = banner().orElseThrow();
    assertThat(background(banner)).isEqualTo(RED);
    assertThat(banner.getText())
        .contains("Your license expired on")
        .contains("60 days remaining before lock");
    assertThat(closeButton()).isEmpty();
    advance(Duration.ofDays(20));
    reload();
    assertThat(banner().orElseThrow().getText()).contains("40 days remaining before lock");
    screenshot("banner-grace");
  }

  @Test
  void lock_replaces_every_page_with_the_lock_screen() {
    start();
    seedNotes();
    jumpTo("LOCK");
    open("/");
    waitForBanner();

    assertThat(html().getAttribute("data-keyturn-page")).isEqualTo("lock");
    assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Acme Notes is locked");
    assertThat(pageText()).contains("the grace period has ended").contains("Your data is safe");
    assertThat(driver.findElement(By.id("kt-license")).isDisplayed()).isTrue();
    assertThat(driver.findElement(By.id("kt-file")).getAttribute("type")).isEqualTo("file");
    assertThat(banner()).isEmpty();
    screenshot("lock");

    openProduct("/demo"); // exempt: the demo controls work while locked, under a lock banner
    assertThat(banner().orElseThrow().getAttribute("data-level")).isEqualTo("LOCK");
    assertThat(banner().orElseThrow().findElement(By.linkText("Unlock")).getAttribute("href"))
        .endsWith("/license/");
  }
}
