package dev.keyturn.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.keyturn.server.clock.TestClock;
import dev.keyturn.server.delivery.DeliveryWorker;
import dev.keyturn.server.delivery.MailMessage;
import dev.keyturn.server.delivery.Outbox;
import dev.keyturn.server.support.ServerTest;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A backlog larger than one delivery batch, over real SMTP (GreenMail): the worker sends batches
 * over shared connections on several threads, every mail arrives once, and one that cannot be sent
 * is retried on its own until it is DEAD, without holding up or repeating the others.
 */
class SmtpBatchTest extends ServerTest {
  private static final int PORT = freePort();
  private static final GreenMail SMTP = new GreenMail(new ServerSetup(PORT, "127.0.0.1", "smtp"));

  @Autowired DeliveryWorker deliveries;
  @Autowired Outbox outbox;
  @Autowired JdbcClient jdbc;
  @Autowired JavaMailSender sender;

  @DynamicPropertySource
  static void smtp(DynamicPropertyRegistry registry) {
    registry.add(
        "spring.datasource.url",
        () ->
            "jdbc:h2:mem:keyturn-smtp-batch-test;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
    registry.add("spring.mail.host", () -> "127.0.0.1");
    registry.add("spring.mail.port", () -> PORT);
    registry.add("keyturn.delivery.max-attempts", () -> 3);
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
  void a_backlog_arrives_once_and_a_bad_mail_among_it_fails_alone_until_dead() {
    int good = 3 * 50 + 7; // several full batches and a partial one
    for (int i = 0; i < good; i++) {
      outbox.mail(mail("customer" + i + "@batch.example", "Batch mail " + i), "test.batch", null);
      if (i == 60) {
        outbox.mail(mail("not an address", "Batch mail bad"), "test.batch", null);
      }
    }

    assertThat(deliveries.runOnce()).isEqualTo(good);
    assertThat(subjects()).hasSize(good).doesNotHaveDuplicates();
    assertThat(state("Batch mail bad")).isEqualTo("PENDING 1");
    assertThat(state("Batch mail 61")).isEqualTo("DELIVERED 1");
    assertThat(deliveries.runOnce()).as("the failed one waits for its backoff").isZero();

    TestClock clock = (TestClock) this.clock;
    for (int attempt = 2; attempt <= 3; attempt++) {
      clock.advance(Duration.ofHours(7)); // past any backoff
      assertThat(deliveries.runOnce()).isZero();
    }
    assertThat(state("Batch mail bad")).isEqualTo("DEAD 3");
    assertThat(
            jdbc.sql(
                    "select count(*) from delivery_attempts a join outbox o on o.id = a.outbox_id"
                        + " where o.payload like '%Batch mail bad%' and not a.succeeded")
                .query(Long.class)
                .single())
        .isEqualTo(3);
    assertThat(subjects()).hasSize(good).doesNotHaveDuplicates();
  }

  @Test
  void every_connection_has_its_writes_timed_by_the_one_shared_watchdog() {
    // Not Angus Mail's timer thread per connection, woken for each write (SmtpWriteTimeouts).
    assertThat(
            ((JavaMailSenderImpl) sender)
                .getSession()
                .getProperties()
                .get("mail.smtp.executor.writetimeout"))
        .isInstanceOf(ScheduledExecutorService.class);
  }

  private static MailMessage mail(String to, String subject) {
    return new MailMessage(to, subject, "text", "<p>html</p>", List.of(), Map.of());
  }

  private String state(String subject) {
    return jdbc.sql(
            "select state || ' ' || attempts from outbox where payload like ? and event_type ="
                + " 'test.batch'")
        .param("%\"" + subject + "\"%")
        .query(String.class)
        .single();
  }

  private static List<String> subjects() {
    List<String> out = new ArrayList<>();
    try {
      for (MimeMessage m : SMTP.getReceivedMessages()) {
        if (m.getSubject().startsWith("Batch mail")) {
          out.add(m.getSubject());
        }
      }
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
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
