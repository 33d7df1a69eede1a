package dev.keyturn.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.keyturn.server.clock.TestClock;
import dev.keyturn.server.delivery.DeliveryWorker;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.ServerTest;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Real SMTP (GreenMail on a free port): down, then up, and every mail arrives once. */
class SmtpDeliveryTest extends ServerTest {
  private static final int PORT = freePort();
  private static final GreenMail SMTP = new GreenMail(new ServerSetup(PORT, "127.0.0.1", "smtp"));

  @Autowired Sweep sweep;
  @Autowired DeliveryWorker deliveries;

  @DynamicPropertySource
  static void smtp(DynamicPropertyRegistry registry) {
    // Its own database: this context is not the shared H2 one, and users are made per server.
    registry.add(
        "spring.datasource.url",
        () ->
            "jdbc:h2:mem:keyturn-smtp-test;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
    registry.add("spring.mail.host", () -> "127.0.0.1");
    registry.add("spring.mail.port", () -> PORT);
    registry.add("keyturn.notifications.from", () -> "licenses@vendor.example");
  }

  @AfterAll
  static void stopSmtp() {
    SMTP.stop();
  }

  @Test
  void mails_wait_while_smtp_is_down_and_arrive_once_when_it_is_back() throws Exception {
    Map<String, Object> body = subscription("Smtp Corp");
    body.put(
        "contacts",
        Map.of(
            "admin_emails",
            List.of("a@smtp.example"),
            "billing_emails",
            List.of("b@smtp.example")));
    String sub = as(Role.SALES).post("/api/v1/subscriptions", body).field("id");
    Instant expires = Instant.parse(issuedWithoutMail(sub, "P40D").field("expires_at"));
    TestClock testClock = (TestClock) clock;
    testClock.set(expires.minus(Duration.ofDays(1)));
    sweep.run();

    deliveries.runOnce(); // SMTP is down: both attempts fail and are logged
    assertThat(pendingFor(sub)).isEqualTo(2);
    assertThat(admin().get("/api/v1/mails?subscription_id=" + sub).json().size()).isZero();

    SMTP.start();
    testClock.advance(Duration.ofMinutes(1)); // past the first backoff (30 s)
    deliveries.runOnce();
    deliveries.runOnce();

    MimeMessage[] received = SMTP.getReceivedMessages();
    List<String> recipients = new ArrayList<>();
    for (MimeMessage m : received) {
      if (m.getSubject().contains("Smtp Corp")) {
        recipients.add(m.getAllRecipients()[0].toString());
        assertThat(m.getSubject()).isEqualTo("Your Smtp Corp license expires in 1 day(s)");
        assertThat(m.getHeader("List-Unsubscribe")[0]).contains("licenses@vendor.example");
        assertThat(attachmentNames(m)).contains("license-dates.ics");
      }
    }
    assertThat(recipients).containsExactlyInAnyOrder("a@smtp.example", "b@smtp.example");
    assertThat(pendingFor(sub)).isZero();
    assertThat(
            admin()
                .get("/api/v1/mails?subscription_id=" + sub)
                .json()
                .get(0)
                .get("via_smtp")
                .asBoolean())
        .isTrue();
  }

  /** Issued by hand without the license mail: the test counts the notices. */
  private Api.Response issuedWithoutMail(String subscriptionId, String duration) {
    Api.Response r =
        issue(as(Role.SALES), subscriptionId, Map.of("duration", duration, "notify", false));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r;
  }

  private int pendingFor(String sub) {
    return admin().get("/api/v1/deliveries?state=PENDING&subscription_id=" + sub).json().size();
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
