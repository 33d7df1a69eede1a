package dev.keyturn.example.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Issue 18 in the browser: the demo license allows 10 notes and 20 % more. The 11th note brings a
 * warning banner naming the limit, the usage and the allowance; the 13th is refused with its
 * sentence, the notes stay; the license page lists the usage and offers the usage report.
 */
class UsageBrowserTest extends BrowserTestBase {
  @Test
  void overage_warns_then_refuses_a_new_note_and_the_license_page_shows_usage() {
    start();
    for (int i = 1; i <= 10; i++) {
      app.notes().add("Note " + i);
    }
    openProduct("/");
    assertThat(banner()).isEmpty();

    addNote("Note 11: one above the licensed ten");
    waitUntil(d -> pageText().contains("11 notes"));
    reload();
    WebElement banner = banner().orElseThrow();
    assertThat(banner.getText())
        .contains(
            "notes: 11 in use, above the licensed 10; the 20% overage allowance permits up to 12.");
    assertThat(banner.getAttribute("data-level")).isEqualTo("WARNING");
    assertThat(closeButton()).isEmpty();
    screenshot("banner-usage-over-limit");

    addNote("Note 12");
    waitUntil(d -> pageText().contains("12 notes"));
    addNote("Note 13: one too many");
    waitUntil(d -> pageText().contains("Adding 1 to notes would bring it to 13"));
    assertThat(pageText()).contains("12 notes");

    open("/license/");
    assertThat(pageText())
        .containsIgnoringCase("Usage: notes")
        .contains("12 of 10 (up to 12 with the 20% allowance)");
    assertThat(driver.findElements(By.cssSelector("[data-kt-usage-report]"))).hasSize(1);
  }
}
