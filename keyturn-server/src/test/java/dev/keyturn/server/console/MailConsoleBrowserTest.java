package dev.keyturn.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.delivery.DeliveryWorker;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.BrowserTest;
import dev.keyturn.server.support.OnH2;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

@OnH2
class MailConsoleBrowserTest extends BrowserTest {
  @Autowired DeliveryWorker worker;

  @Test
  void the_template_previews_render_every_mail_template_with_sample_data() throws IOException {
    Set<String> templates =
        Arrays.stream(
                new PathMatchingResourcePatternResolver()
                    .getResources("classpath*:templates/mail/*.html"))
            .map(Resource::getFilename)
            .map(n -> n.substring(0, n.length() - ".html".length()))
            .collect(Collectors.toSet());
    assertThat(templates).contains("expiring", "expired", "locked", "license", "payment-failed");

    signInAs(Role.SUPPORT);
    open("/console/mail/templates");
    List<WebElement> previews = driver.findElements(By.cssSelector("section.preview"));
    Set<String> previewed =
        previews.stream().map(p -> p.getDomAttribute("data-template")).collect(Collectors.toSet());
    assertThat(previewed).isEqualTo(templates);
    for (WebElement p : previews) {
      // The sample customer, or for the portal's sign-in mail the sample contact.
      assertThat(p.findElement(By.cssSelector("pre.text-part")).getText())
          .containsAnyOf("Acme Corp", "ops@acme.example")
          .doesNotContain("${");
    }
    assertThat(pageText())
        .contains("Expiring in 30 days (D-30)", "Expiring tomorrow (D-1)", "Vendor alert at D-7");

    // Each HTML part renders from its own sandboxed URL.
    List<String> frames =
        previews.stream()
            .map(p -> p.findElement(By.tagName("iframe")))
            .peek(f -> assertThat(f.getDomAttribute("sandbox")).isEmpty())
            .map(f -> f.getDomProperty("src"))
            .toList();
    assertThat(frames).hasSize(previews.size());
    for (String src : frames) {
      driver.get(src);
      assertThat(pageText()).containsAnyOf("Acme Corp", "ops@acme.example").doesNotContain("${");
    }
  }

  @Test
  void the_mail_log_lists_a_sent_mail_whose_parts_and_attachments_open() {
    String sub = createSubscription("Mail Log Corp");
    issued(sub, "P30D");
    Api.Response paid =
        as(Role.SALES)
            .post(
                "/api/v1/subscriptions/" + sub + "/payments",
                Map.of(
                    "reference",
                    "PO-77",
                    "paid_through",
                    clock.instant().plus(Duration.ofDays(400)).toString()));
    assertThat(paid.status()).as(paid.toString()).isEqualTo(201);
    String licenseId = paid.field("license_id");
    worker.runOnce();

    signInAs(Role.READONLY);
    open("/console/mail?subscription=" + sub);
    WebElement row = driver.findElement(By.cssSelector("#mails tbody tr"));
    assertThat(row.getText())
        .contains("ops@example.com", "Your renewed Mail Log Corp license", "stored");
    screenshot("console-mail-log");

    row.findElement(By.tagName("a")).click();
    waitUntil(d -> d.getCurrentUrl().matches(".*/console/mail/\\d+$"));
    assertThat(driver.findElement(By.id("text-part")).getText()).contains("Mail Log Corp");
    assertThat(driver.findElement(By.cssSelector("iframe.mail-frame")).getDomAttribute("sandbox"))
        .isEmpty();
    assertThat(driver.findElement(By.id("attachments")).getText())
        .contains(licenseId + ".license.toml", "license-dates.ics");
    screenshot("console-mail-message");

    // The filters narrow the log: nothing for this subscription is dead.
    open("/console/mail?status=DEAD&subscription=" + sub);
    assertThat(driver.findElement(By.cssSelector("#mails tbody")).getText())
        .contains("No mail matches.");
  }
}
