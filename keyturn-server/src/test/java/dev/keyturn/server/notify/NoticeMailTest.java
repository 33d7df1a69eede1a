package dev.keyturn.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.lifecycle.Lifecycle;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.core.lifecycle.Stage;
import dev.keyturn.core.lifecycle.Standing;
import dev.keyturn.server.config.AutomationProperties;
import dev.keyturn.server.config.KeyturnProperties;
import dev.keyturn.server.delivery.Outbox;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.support.Records;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pins a rendered D-15 notice, as the sweep hands it to the outbox: recipients, subject, the whole
 * text part, the headers and the calendar. A change of a mail's bytes for the same inputs shows
 * here first.
 */
class NoticeMailTest {
  private static final Instant EXPIRES = Instant.parse("2027-03-01T12:00:00Z");
  private static final Instant NOW = EXPIRES.minus(Duration.ofDays(15)).plus(Duration.ofHours(2));
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void theD15NoticeReadsExactlySo() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    Notifier notifier =
        new Notifier(
            new Outbox(null, clock, JSON, null),
            new MailRenderer(),
            clock,
            new AutomationProperties(
                null,
                null,
                new AutomationProperties.Notifications(
                    "keyturn@vendor.example", null, null, "https://vendor.example/pay"),
                null),
            s -> Optional.of("https://keyturn.vendor.example/billing/portal/" + s.id() + "?sig=x"),
            new KeyturnProperties(
                null, null, null, null, null, null, "https://keyturn.vendor.example"));
    Policy policy = Policy.APPLIANCE;
    LicenseRecord license = Records.license("lic_pin", "sub_pin", policy, EXPIRES);
    Stage d15 = policy.stage("D-15").orElseThrow();
    Standing standing =
        Lifecycle.evaluate(license.notBefore(), license.expiresAt(), NOW, policy, ZoneOffset.UTC);
    List<Outbox.Entry> out = new ArrayList<>();

    notifier.stage(
        Records.subscription("sub_pin", "Acme Corp", "EXPIRING", false),
        license,
        d15,
        standing,
        Set.of("billing@acme.example"),
        out);

    assertThat(out).extracting(Outbox.Entry::target).containsExactly("admin@acme.example");
    Outbox.Entry entry = out.get(0);
    assertThat(entry.kind()).isEqualTo(Outbox.MAIL);
    assertThat(entry.eventType()).isEqualTo("license.expiring");
    JsonNode mail = JSON.readTree(entry.payload());
    assertThat(mail.get("subject").asString())
        .isEqualTo("Your Acme Corp license expires in 15 day(s)");
    assertThat(mail.get("text").asString())
        .isEqualTo(
            """
            Your license expires 2027-03-01 12:00 UTC

            The license of Acme Corp expires in 15 day(s), on 2027-03-01 12:00 UTC.
            Renew it to keep everything running; the product keeps working 60 more day(s)
            after expiry, then it is locked on 2027-04-30 12:00 UTC.

            The attached calendar file holds both dates.

            Renew or update your payment method: https://keyturn.vendor.example/billing/portal/sub_pin?sig=x

            See where your license stands, download it, or ask for a renewal in the
            customer portal: https://keyturn.vendor.example/portal

            --
            Sent by Keyturn for Acme Corp (subscription sub_pin).
            """);
    assertThat(mail.get("html").asString())
        .contains("Acme Corp")
        .contains("expires in <b>15</b> day(s)")
        .contains("https://keyturn.vendor.example/portal");
    assertThat(mail.get("headers").get("List-Unsubscribe").asString())
        .isEqualTo("<mailto:keyturn@vendor.example?subject=mute%20early%20reminders%20sub_pin>");
    JsonNode ics = mail.get("attachments").get(0);
    assertThat(ics.get("name").asString()).isEqualTo("license-dates.ics");
    assertThat(ics.get("content").asString())
        .contains("DTSTAMP:20270214T140000Z")
        .contains("UID:lic_pin-expiry@keyturn")
        .contains("DTSTART:20270301T120000Z")
        .contains("SUMMARY:Acme Corp license expires")
        .contains("UID:lic_pin-lock@keyturn")
        .contains("DTSTART:20270430T120000Z");
  }
}
