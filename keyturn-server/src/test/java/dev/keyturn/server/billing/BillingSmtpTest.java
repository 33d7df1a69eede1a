package dev.keyturn.server.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.keyturn.server.clock.TestClock;
import dev.keyturn.server.delivery.DeliveryWorker;
import dev.keyturn.server.lifecycle.Sweep;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.ServerTest;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * As a new user tries it: a signed {@code invoice.paid} for a subscription in grace makes it active
 * again, and the new license arrives over real SMTP (GreenMail) as an attachment.
 */
class BillingSmtpTest extends ServerTest {
  private static final int PORT = freePort();
  private static final GreenMail SMTP = new GreenMail(new ServerSetup(PORT, "127.0.0.1", "smtp"));

  @Autowired Sweep sweep;
  @Autowired DeliveryWorker deliveries;
  @Autowired PortalLinks links;

  @DynamicPropertySource
  static void settings(DynamicPropertyRegistry r) {
    r.add(
        "spring.datasource.url",
        () ->
            "jdbc:h2:mem:keyturn-billing-smtp-test;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
    r.add("spring.mail.host", () -> "127.0.0.1");
    r.add("spring.mail.port", () -> PORT);
    r.add("keyturn.notifications.from", () -> "licenses@vendor.example");
    r.add("keyturn.stripe.webhook-secret", () -> StripeFixtures.SECRET);
  }

  @BeforeAll
  static void startSmtp() {
    SMTP.start();
  }

  @AfterAll
  static void stopSmtp() {
    SMTP.stop();
  }

  @Test
  void a_signed_invoice_paid_reactivates_a_subscription_in_grace_and_mails_the_new_license()
      throws Exception {
    Map<String, Object> body = subscription("Grace Smtp");
    body.put("stripe_customer_id", "cus_GraceSmtp");
    body.put("stripe_subscription_id", "sub_1GraceSmtp");
    body.put("policy_preset", "subscription");
    body.put(
        "contacts",
        Map.of("admin_emails", List.of("admin@grace.example"), "billing_emails", List.of()));
    String sub = admin().post("/api/v1/subscriptions", body).field("id");
    Instant expires =
        Instant.parse(
            admin()
                .post("/api/v1/subscriptions/" + sub + "/licenses", Map.of("duration", "P10D"))
                .field("expires_at"));
    TestClock testClock = (TestClock) clock;
    testClock.set(expires.plus(Duration.ofDays(2)));
    sweep.run();
    assertThat(admin().get("/api/v1/subscriptions/" + sub).json().get("lifecycle_phase").asString())
        .isEqualTo("GRACE");

    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant periodEnd = expires.plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS);
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("event_id", "evt_1GraceSmtpPaid");
    v.put("created", now.getEpochSecond());
    v.put("invoice_id", "in_1GraceSmtp");
    v.put("customer", "cus_GraceSmtp");
    v.put("subscription", "sub_1GraceSmtp");
    v.put("period_start", expires.getEpochSecond());
    v.put("period_end", periodEnd.getEpochSecond());
    v.put("amount", 4900);
    String payload = StripeFixtures.event("invoice.paid", v);
    HttpResponse<String> r =
        StripeFixtures.post(
            port,
            payload,
            StripeFixtures.signature(payload, StripeFixtures.SECRET, now.getEpochSecond()));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    deliveries.runOnce();

    assertThat(admin().get("/api/v1/subscriptions/" + sub).json().get("lifecycle_phase").asString())
        .isIn("ACTIVE", "EXPIRING");
    String licenseId =
        admin().get("/api/v1/licenses?subscription_id=" + sub).json().get(0).get("id").asString();
    List<MimeMessage> renewed = new ArrayList<>();
    for (MimeMessage m : SMTP.getReceivedMessages()) {
      if (m.getSubject().equals("Your renewed Grace Smtp license")) {
        renewed.add(m);
      }
    }
    assertThat(renewed).hasSize(1);
    assertThat(renewed.get(0).getAllRecipients()[0].toString()).isEqualTo("admin@grace.example");
    assertThat(attachmentNames(renewed.get(0))).contains(licenseId + ".license.toml");
    assertThat(admin().get("/api/v1/licenses/" + licenseId).json().get("expires_at").asString())
        .isEqualTo(periodEnd.toString());
  }

  @Test
  void a_portal_link_followed_while_stripe_s_api_is_not_set_up_answers_a_page_not_an_error() {
    Map<String, Object> body = subscription("No Api Key");
    body.put("stripe_customer_id", "cus_NoApiKey");
    String sub = admin().post("/api/v1/subscriptions", body).field("id");
    String url = links.url(sub);

    Api.Response page = anonymous().get(url.substring(url.indexOf("/billing/portal/")));

    assertThat(page.status()).isEqualTo(503);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.body())
        .contains("Online billing is not available")
        .contains("stripe.not_configured");
  }

  private static List<String> attachmentNames(MimeMessage m) throws Exception {
    List<String> names = new ArrayList<>();
    collect(m.getContent(), names);
    return names;
  }

  private static void collect(Object content, List<String> names) throws Exception {
    if (content instanceof Multipart multipart) {
      for (int i = 0; i < multipart.getCount(); i++) {
        var part = multipart.getBodyPart(i);
        if (part.getFileName() != null) {
          names.add(part.getFileName());
        }
        collect(part.getContent(), names);
      }
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
