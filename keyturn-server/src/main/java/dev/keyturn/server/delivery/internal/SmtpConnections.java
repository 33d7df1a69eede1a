package dev.keyturn.server.delivery.internal;

import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Connected SMTP transports kept between delivery batches, so a backlog pays the connection and
 * greeting once per worker rather than once per batch (GreenMail, for one, waits 40 ms before its
 * greeting). A connection is reused only while it has been idle less than {@link #MAX_IDLE_NANOS}:
 * SMTP servers drop idle clients after minutes (RFC 5321 suggests at least 5), and checking a
 * connection costs a round trip ({@code NOOP}), the very thing this class saves.
 */
final class SmtpConnections {
  static final long MAX_IDLE_NANOS = 10_000_000_000L;

  /** A connected transport and when it was last given back. */
  record Pooled(Transport transport, long idleSince, boolean reused) {}

  private final ConcurrentLinkedDeque<Pooled> idle = new ConcurrentLinkedDeque<>();

  /** An idle connection young enough to reuse, or a new one. */
  Pooled take(JavaMailSenderImpl smtp) throws MessagingException {
    long now = System.nanoTime();
    for (Pooled p = idle.pollFirst(); p != null; p = idle.pollFirst()) {
      if (now - p.idleSince() < MAX_IDLE_NANOS) {
        return new Pooled(p.transport(), now, true);
      }
      close(p.transport());
    }
    return new Pooled(connect(smtp), now, false);
  }

  /** A new connection, as Spring's {@code JavaMailSenderImpl} makes one. */
  Transport connect(JavaMailSenderImpl smtp) throws MessagingException {
    String protocol = smtp.getProtocol();
    Transport transport =
        smtp.getSession()
            .getTransport(
                protocol != null
                    ? protocol
                    : smtp.getSession().getProperty("mail.transport.protocol") != null
                        ? smtp.getSession().getProperty("mail.transport.protocol")
                        : JavaMailSenderImpl.DEFAULT_PROTOCOL);
    String username = smtp.getUsername();
    String password = smtp.getPassword();
    if ("".equals(username)) {
      username = null;
      if ("".equals(password)) {
        password = null;
      }
    }
    transport.connect(smtp.getHost(), smtp.getPort(), username, password);
    return transport;
  }

  /** Keeps a healthy connection for the next batch. */
  void giveBack(Transport transport) {
    idle.addFirst(new Pooled(transport, System.nanoTime(), false));
  }

  /** Closes the idle connections (at the end of a delivery run: the next run may be far off). */
  void closeIdle() {
    for (Pooled p = idle.pollFirst(); p != null; p = idle.pollFirst()) {
      close(p.transport());
    }
  }

  static void close(Transport transport) {
    try {
      transport.close();
    } catch (MessagingException | RuntimeException e) {
      // already broken: nothing to tidy
    }
  }
}
