package dev.keyturn.server.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;

/**
 * The SMTP write timeout, enforced by the shared watchdog: a server that stops reading in the
 * middle of a mail gets its connection closed at the write timeout, long before the read timeout,
 * as Angus Mail's own timer thread per connection did.
 */
class SmtpWriteTimeoutsTest {
  /**
   * More than the socket buffers can take while the server reads nothing (Linux grows a loopback
   * socket's send buffer to 4 MB at most by default; the server's receive buffer is 8 KB).
   */
  private static final int LARGER_THAN_THE_BUFFERS = 24 * 1024 * 1024;

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a write never cut hangs
  void a_server_that_stops_reading_mid_mail_is_cut_off_at_the_write_timeout() throws Exception {
    SmtpWriteTimeouts timeouts = new SmtpWriteTimeouts();
    try (ServerSocket server = stallsAfterData()) {
      JavaMailSenderImpl sender = new JavaMailSenderImpl();
      sender.setHost("127.0.0.1");
      sender.setPort(server.getLocalPort());
      Properties properties = new Properties();
      properties.setProperty("mail.smtp.connectiontimeout", "5000");
      properties.setProperty("mail.smtp.timeout", "60000");
      properties.setProperty("mail.smtp.writetimeout", "300");
      sender.setJavaMailProperties(properties);
      timeouts.postProcessAfterInitialization(sender, "mailSender");
      assertThat(sender.getSession().getProperties().get("mail.smtp.executor.writetimeout"))
          .isInstanceOf(CoarseDeadlines.class);

      var mime = sender.createMimeMessage();
      MimeMessageHelper helper = new MimeMessageHelper(mime, false, "UTF-8");
      helper.setFrom("licenses@vendor.example");
      helper.setTo("customer@example.com");
      helper.setSubject("A large mail");
      helper.setText(lines(LARGER_THAN_THE_BUFFERS));

      long start = System.nanoTime();
      Throwable failure = catchThrowable(() -> sender.send(mime));
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(failure).isInstanceOf(MailSendException.class);
      assertThat(causes(failure)).contains("Write timed out");
      assertThat(took)
          .as("cut at the write timeout (300 ms, one tick late at most), not the read timeout")
          .isBetween(Duration.ofMillis(300), Duration.ofSeconds(10));
    } finally {
      timeouts.destroy();
    }
  }

  @Test
  void an_executor_set_by_the_operator_and_a_session_without_write_timeout_are_left_alone() {
    SmtpWriteTimeouts timeouts = new SmtpWriteTimeouts();
    try {
      JavaMailSenderImpl own = new JavaMailSenderImpl();
      ScheduledExecutorService theirs = new CoarseDeadlines("theirs", Duration.ofSeconds(1));
      own.getJavaMailProperties().setProperty("mail.smtp.writetimeout", "1000");
      own.getJavaMailProperties().put("mail.smtp.executor.writetimeout", theirs);
      timeouts.postProcessAfterInitialization(own, "own");
      assertThat(own.getJavaMailProperties().get("mail.smtp.executor.writetimeout"))
          .isSameAs(theirs);
      theirs.shutdownNow();

      JavaMailSenderImpl none = new JavaMailSenderImpl();
      none.getJavaMailProperties().setProperty("mail.smtp.writetimeout", "-1");
      timeouts.postProcessAfterInitialization(none, "none");
      assertThat(none.getJavaMailProperties()).doesNotContainKey("mail.smtp.executor.writetimeout");
    } finally {
      timeouts.destroy();
    }
  }

  /** Every message of the causes, outermost first. */
  private static String causes(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      all.append(c).append('\n');
    }
    return all.toString();
  }

  private static String lines(int size) {
    String line = "a".repeat(76) + "\r\n";
    return line.repeat(size / line.length() + 1);
  }

  /**
   * An SMTP server that answers every command up to {@code DATA} and then reads nothing more,
   * holding the connection open: a stalled receiver.
   */
  private static ServerSocket stallsAfterData() throws IOException {
    ServerSocket server = new ServerSocket();
    server.setReceiveBufferSize(8192); // before bind: it sets the window the client sees
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread t =
        new Thread(
            () -> {
              try (Socket client = server.accept()) {
                BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
                OutputStream out = client.getOutputStream();
                reply(out, "220 stalling.example ESMTP");
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  String command = line.length() < 4 ? line : line.substring(0, 4).toUpperCase();
                  if (command.equals("DATA")) {
                    reply(out, "354 go ahead");
                    while (!server.isClosed()) {
                      Thread.sleep(20); // never reads the mail
                    }
                    return;
                  }
                  reply(out, command.equals("QUIT") ? "221 bye" : "250 OK");
                }
              } catch (IOException | InterruptedException e) {
                // the test is over
              }
            },
            "stalling-smtp");
    t.setDaemon(true);
    t.start();
    return server;
  }

  private static void reply(OutputStream out, String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }
}
