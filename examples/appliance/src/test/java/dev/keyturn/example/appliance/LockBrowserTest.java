package dev.keyturn.example.appliance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** Locked: the lock screen refuses a bad license and lets a good one in, without a restart. */
class LockBrowserTest extends BrowserTestBase {
  static final List<String> NOTES =
      List.of(
          "Order toner for the second floor",
          "Call the landlord about the heating",
          "Plan the Q3 offsite");

  private void writeNotesThenLock() {
    start();
    openProduct("/");
    for (String note : NOTES) {
      addNote(note);
      waitUntil(d -> pageText().contains(note));
    }
    jumpTo("LOCK");
    open("/");
    waitForBanner();
    assertThat(html().getAttribute("data-keyturn-page")).isEqualTo("lock");
  }

  private WebElement unlock() {
    return driver.findElement(By.cssSelector("#kt-install-form button[type=submit]"));
  }

  @Test
  void a_tampered_license_is_refused_with_its_code_and_the_product_stays_locked() {
    writeNotesThenLock();
    paste(demo.tamperedRenewal());
    unlock().click();

    WebElement error =
        waitUntil(d -> d.findElement(By.cssSelector("#kt-install-result .kt-result--error")));
    assertThat(error.getAttribute("role")).isEqualTo("alert");
    assertThat(error.findElement(By.className("kt-result__code")).getText())
        .isEqualTo("SIGNATURE_MISMATCH");
    assertThat(error.getText()).contains("signature");
    screenshot("lock-error");

    open("/");
    waitForBanner();
    assertThat(html().getAttribute("data-keyturn-page")).isEqualTo("lock");
    assertThat(app.notes().list()).hasSize(3);
  }

  @Test
  void a_pasted_renewal_brings_the_product_back_without_a_restart_with_every_note() {
    writeNotesThenLock();
    paste(demo.renewal());
    unlock().click();

    waitUntil(d -> d.findElements(By.id("note-text")).size() == 1);
    waitForBanner();
    assertThat(banner()).isEmpty();
    assertThat(pageText()).contains("3 notes");
    for (String note : NOTES) {
      assertThat(pageText()).contains(note);
    }
    addNote("Back at work");
    waitUntil(d -> pageText().contains("4 notes"));
  }

  @Test
  void an_uploaded_renewal_file_unlocks_too() throws Exception {
    writeNotesThenLock();
    Path file = dir.resolve("renewal.license.toml");
    Files.writeString(file, demo.renewal());
    driver.findElement(By.id("kt-file")).sendKeys(file.toAbsolutePath().toString());
    unlock().click();

    waitUntil(d -> d.findElements(By.id("note-text")).size() == 1);
    assertThat(pageText()).contains(NOTES.get(0));
  }

  @Test
  void a_license_installed_elsewhere_reopens_the_lock_screen_within_seconds() {
    writeNotesThenLock();
    app.licenses().install(demo.renewal()); // as `keyturn install` or a check-in would

    waitUntil(d -> d.findElements(By.id("note-text")).size() == 1);
    assertThat(pageText()).contains(NOTES.get(2));
  }
}
