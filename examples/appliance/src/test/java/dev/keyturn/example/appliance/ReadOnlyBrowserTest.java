package dev.keyturn.example.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/** The subscription preset: 7 days of read-only grace after expiry. */
class ReadOnlyBrowserTest extends BrowserTestBase {
  @Test
  void in_read_only_grace_saving_a_note_is_refused_with_the_reason_and_reading_works() {
    start("subscription", b -> b, b -> b);
    openProduct("/");
    addNote("Written while the license was valid");
    waitUntil(d -> pageText().contains("1 note"));

    jumpTo("EXPIRY");
    openProduct("/");
    assertThat(banner().orElseThrow().getText())
        .contains("The product is read-only: 7 days remaining before suspension");
    assertThat(pageText()).contains("Written while the license was valid");

    addNote("Written during read-only grace");
    waitUntil(d -> "read-only".equals(html().getAttribute("data-keyturn-page")));
    assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Acme Notes is read-only");
    assertThat(pageText())
        .contains("The product is read-only: 7 days remaining before suspension")
        .contains("Your change was not saved")
        .contains("Your data is safe and can still be read");
    screenshot("read-only");

    driver.findElement(By.linkText("Go back")).click();
    waitForBanner();
    assertThat(pageText())
        .contains("Written while the license was valid")
        .doesNotContain("Written during read-only grace")
        .contains("1 note");
    assertThat(app.notes().list()).hasSize(1);
  }
}
