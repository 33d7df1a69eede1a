package dev.keyturn.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.keyturn.server.clock.TestClock;
import dev.keyturn.server.delivery.internal.MimeReference;
import dev.keyturn.server.lifecycle.Sweep;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.ServerTest;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The delivery worker's SMTP path (a connection kept across batches, no {@code NOOP} per mail, the
 * stream provider named) puts the same bytes on the wire as the path it replaced: each outbox mail
 * built as before and sent through Spring's {@code JavaMailSender.send}. Real mails of real
 * templates (a license mail with its file and calendar, a D-1 reminder, the same for a customer
 * whose name needs encoding), to GreenMail, compared byte for byte except what differs between any
 * two sends of one mail: {@code Message-ID}, {@code Date} and the random MIME part boundaries (and
 * the {@code Received} line GreenMail adds with its time of arrival).
 */
class MailBytesTest extends ServerTest {
  private static final int PORT = freePort();
  private static final GreenMail SMTP = new GreenMail(new ServerSetup(PORT, "127.0.0.1", "smtp"));
  private static final String FROM = "licenses@vendor.example";

  @Autowired Sweep sweep;
  @Autowired DeliveryWorker deliveries;
  @Autowired JavaMailSender spring;
  @Autowired JdbcClient jdbc;
  @Autowired JsonMapper json;

  @DynamicPropertySource
  static void smtp(DynamicPropertyRegistry registry) {
    registry.add(
        "spring.datasource.url",
        () ->
            "jdbc:h2:mem:keyturn-mail-bytes-test;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
    registry.add("spring.mail.host", () -> "127.0.0.1");
    registry.add("spring.mail.port", () -> PORT);
    registry.add("keyturn.notifications.from", () -> FROM);
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
  void the_worker_sends_the_bytes_springs_sender_sent_for_every_template_shape() throws Exception {
    TestClock testClock = (TestClock) clock;
    Instant expires = null;
    for (String name : List.of("Bytes Corp", "Zürich Ærøskøbing Œuvre GmbH")) {
      Map<String, Object> body = subscription(name);
      body.put("instance_domain", "tools-" + name.length() + ".bytes.example");
      body.put(
          "contacts",
          Map.of(
              "admin_emails",
              List.of("admin-" + name.length() + "@bytes.example"),
              "billing_emails",
              List.of("billing-" + name.length() + "@bytes.example")));
      var created = as(Role.SALES).post("/api/v1/subscriptions", body);
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      String sub = created.field("id");
      expires = Instant.parse(issued(sub, "P40D").field("expires_at")); // with the license mail
    }
    testClock.set(expires.minus(Duration.ofHours(12))); // D-1 for both
    sweep.run();
    List<String> payloads =
        jdbc.sql("select payload from outbox where kind = 'MAIL' and state = 'PENDING' order by id")
            .query(String.class)
            .list();
    assertThat(payloads).hasSizeGreaterThanOrEqualTo(8); // 2 subscriptions × 2 contacts × 2 mails

    deliveries.runOnce(); // the worker's path
    Map<String, String> worker = received(payloads.size());
    SMTP.purgeEmailFromAllMailboxes();

    List<MimeMessage> before = new ArrayList<>(); // the path it replaced, built as it built them
    for (String payload : payloads) {
      before.add(
          MimeReference.build(
              spring.createMimeMessage(),
              FROM,
              json.readValue(payload, MailMessage.class),
              java.util.Date.from(clock.instant())));
    }
    spring.send(before.toArray(new MimeMessage[0]));
    Map<String, String> reference = received(payloads.size());

    assertThat(worker.keySet()).isEqualTo(reference.keySet());
    reference.forEach((key, bytes) -> assertThat(worker.get(key)).as(key).isEqualTo(bytes));
    assertThat(String.join("\n", reference.values()))
        .contains("license-dates.ics", ".license.toml", "=?UTF-8?")
        .as("the unicode customer's subject is encoded, not sent raw")
        .doesNotContain("Subject: Your Zürich");
  }

  /** The received mails' raw bytes by recipient and subject, with what varies per send masked. */
  private static Map<String, String> received(int expected) throws Exception {
    MimeMessage[] all = SMTP.getReceivedMessages();
    assertThat(all).hasSize(expected);
    Map<String, String> out = new TreeMap<>();
    for (MimeMessage m : all) {
      String raw = GreenMailUtil.getWholeMessage(m);
      List<String> boundaries = new ArrayList<>();
      var matcher = java.util.regex.Pattern.compile("boundary=\"([^\"]+)\"").matcher(raw);
      while (matcher.find()) {
        boundaries.add(matcher.group(1));
      }
      assertThat(boundaries).as("multipart mails").isNotEmpty();
      for (int i = 0; i < boundaries.size(); i++) {
        raw = raw.replace(boundaries.get(i), "BOUNDARY-" + i);
      }
      raw =
          raw.replaceAll("(?m)^Message-ID: .*$", "Message-ID: (varies)")
              .replaceAll("(?m)^Date: .*$", "Date: (varies)")
              .replaceAll("(?m)^Received: .*$", "Received: (GreenMail's, with its time)");
      out.put(m.getAllRecipients()[0] + " " + m.getSubject(), raw);
    }
    assertThat(out).hasSize(expected);
    return out;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
