package dev.keyturn.server.delivery.internal;

import dev.keyturn.server.config.AutomationProperties;
import dev.keyturn.server.delivery.MailMessage;
import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.jdbc.MultiRowInsert;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.StreamProvider;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends mails over SMTP when one is configured ({@code spring.mail.host}), and always logs each one
 * in {@code mails} (the bodies stay in the outbox row's payload): without SMTP (the embedded
 * default) that log is the delivery, read through the API and the console. A batch goes over one
 * SMTP connection (one handshake, not one per mail), and each mail succeeds or fails on its own.
 */
@Component
public class MailTransport {
  /** A mail to send: its outbox row and the stored {@link MailMessage}. */
  public record Outgoing(long outboxId, String subscriptionId, String payload) {}

  private final ObjectProvider<JavaMailSender> sender;
  private final JdbcTemplate jdbc;
  private final JsonMapper json;
  private final Clock clock;
  private final String from;
  private final SmtpConnections connections = new SmtpConnections();

  MailTransport(
      ObjectProvider<JavaMailSender> sender,
      JdbcTemplate jdbc,
      JsonMapper json,
      Clock clock,
      AutomationProperties properties) {
    this.sender = sender;
    this.jdbc = jdbc;
    this.json = json;
    this.clock = clock;
    this.from = properties.notifications().from();
    nameStreamProvider();
  }

  /**
   * Jakarta Mail looks up its {@code StreamProvider} for every multipart and body part it makes and
   * for every encoding it applies ({@code StreamProvider.provider()}): without a system property
   * naming the provider, that is a {@code ServiceLoader} scan of the class path each time, 12–14 %
   * of the server's time while delivering (jakartaee/mail-api issues 699 and 861). Naming the one
   * provider on the class path (Angus Mail's, the one the scan finds) makes each lookup a loaded
   * class's constructor call. Left alone when the property is set already or Angus is absent.
   */
  static void nameStreamProvider() {
    String property = StreamProvider.class.getName();
    String angus = "org.eclipse.angus.mail.util.MailStreamProvider";
    if (System.getProperty(property) != null) {
      return;
    }
    try {
      Class.forName(angus, false, MailTransport.class.getClassLoader());
      System.setProperty(property, angus);
    } catch (ClassNotFoundException e) {
      // another implementation: keep its ServiceLoader lookup
    }
  }

  /**
   * Sends the mails and logs each one sent; returns the failure of each one that was not, by outbox
   * id (empty when all went out).
   */
  public Map<Long, RuntimeException> send(List<Outgoing> mails) {
    Map<Long, RuntimeException> failed = new LinkedHashMap<>();
    JavaMailSender smtp = sender.getIfAvailable();
    Map<Long, MailMessage> messages = new LinkedHashMap<>();
    // MimeMessage keeps Object's identity equality: the batch's mails in their order
    Map<MimeMessage, Long> mimes = new LinkedHashMap<>();
    Prebuilt prebuilt = smtp instanceof JavaMailSenderImpl impl ? prebuilt(impl) : null;
    for (Outgoing m : mails) {
      try {
        MailMessage message = json.readValue(m.payload(), MailMessage.class);
        if (smtp != null) {
          mimes.put(build(smtp, prebuilt, message), m.outboxId());
        }
        messages.put(m.outboxId(), message);
      } catch (RuntimeException e) {
        failed.put(m.outboxId(), e);
      }
    }
    if (smtp instanceof JavaMailSenderImpl impl && !mimes.isEmpty()) {
      failed.putAll(sendOverPooledConnection(impl, mimes));
    } else if (smtp != null && !mimes.isEmpty()) {
      failed.putAll(sendThroughSpring(smtp, mimes));
    }
    failed.keySet().forEach(messages::remove);
    store(mails, messages, smtp != null);
    return failed;
  }

  /** Closes the SMTP connections kept between batches (when a delivery run ends). */
  public void closeIdleConnections() {
    connections.closeIdle();
  }

  /**
   * Sends each mail over one connection kept between batches. Unlike {@code
   * JavaMailSenderImpl.send}, which asks the server whether the connection is alive ({@code NOOP},
   * one round trip) before every single mail, this writes the next mail straight away: a broken
   * connection shows as that mail's failure, and the next mail gets a new connection. A failure on
   * the first mail over a connection kept from an earlier batch (the server may have dropped it) is
   * retried once on a new one.
   */
  private Map<Long, RuntimeException> sendOverPooledConnection(
      JavaMailSenderImpl smtp, Map<MimeMessage, Long> mimes) {
    Map<Long, RuntimeException> failed = new LinkedHashMap<>();
    List<Map.Entry<MimeMessage, Long>> batch = new ArrayList<>(mimes.entrySet());
    Transport transport = null;
    boolean reused = false;
    for (int i = 0; i < batch.size(); i++) {
      MimeMessage mime = batch.get(i).getKey();
      long id = batch.get(i).getValue();
      try {
        if (!(mime instanceof PrebuiltMimeMessage)) {
          prepare(mime);
        }
      } catch (MessagingException e) {
        failed.put(id, new MailPreparationException("cannot prepare the mail", e));
        continue;
      }
      for (int tries = 0; ; tries++) {
        if (transport == null) {
          try {
            SmtpConnections.Pooled pooled = connections.take(smtp);
            transport = pooled.transport();
            reused = pooled.reused();
          } catch (MessagingException e) {
            // No connection (as when Spring's sender could not connect): this mail and the rest
            // of the batch wait for their next attempt; one connect timeout, not one per mail.
            RuntimeException error =
                e instanceof AuthenticationFailedException
                    ? new MailAuthenticationException(e)
                    : new MailSendException("Mail server connection failed: " + e.getMessage(), e);
            for (int rest = i; rest < batch.size(); rest++) {
              failed.put(batch.get(rest).getValue(), error);
            }
            return failed;
          }
        }
        try {
          Address[] to = mime.getAllRecipients();
          transport.sendMessage(mime, to != null ? to : new Address[0]);
          reused = false;
          break;
        } catch (SendFailedException e) {
          // Refused by the server (recipient, size…). The connection normally stays usable; a
          // server that also closed it (421) is noticed here, on this rare path, not per mail.
          failed.put(id, new MailSendException(e.getMessage(), e));
          if (!transport.isConnected()) {
            SmtpConnections.close(transport);
            transport = null;
          }
          reused = false;
          break;
        } catch (MessagingException | IllegalStateException e) {
          // The connection broke (IllegalStateException: the server closed it after a reply).
          boolean retry = reused && tries == 0;
          SmtpConnections.close(transport);
          transport = null;
          reused = false;
          if (!retry) {
            failed.put(id, new MailSendException(String.valueOf(e.getMessage()), e));
            break;
          }
        }
      }
    }
    if (transport != null) {
      connections.giveBack(transport);
    }
    return failed;
  }

  /** What {@code JavaMailSenderImpl} does to each message before sending it. */
  private static void prepare(MimeMessage mime) throws MessagingException {
    String messageId = mime.getMessageID();
    mime.saveChanges();
    if (messageId != null) {
      // saveChanges() made a new Message-ID: keep the one set before, as Spring does
      mime.setHeader("Message-ID", messageId);
    }
  }

  /** Through Spring's sender (a sender other than {@code JavaMailSenderImpl}: tests, say). */
  private static Map<Long, RuntimeException> sendThroughSpring(
      JavaMailSender smtp, Map<MimeMessage, Long> mimes) {
    Map<Long, RuntimeException> failed = new LinkedHashMap<>();
    try {
      smtp.send(mimes.keySet().toArray(new MimeMessage[0]));
    } catch (MailSendException e) {
      if (e.getFailedMessages().isEmpty()) {
        // Not known which went out (e.g. the connection failed while closing): all are retried.
        mimes.values().forEach(id -> failed.put(id, e));
      }
      e.getFailedMessages()
          .forEach(
              (mime, error) ->
                  failed.put(
                      mimes.get(mime),
                      error instanceof RuntimeException r
                          ? r
                          : new MailSendException(error.getMessage(), error)));
    } catch (MailException e) {
      mimes.values().forEach(id -> failed.put(id, e));
    }
    return failed;
  }

  private void store(List<Outgoing> mails, Map<Long, MailMessage> sent, boolean viaSmtp) {
    Object now = Db.ts(clock.instant());
    List<Object[]> rows = new ArrayList<>();
    for (Outgoing o : mails) {
      MailMessage m = sent.get(o.outboxId());
      if (m != null) {
        rows.add(
            new Object[] {
              o.outboxId(),
              o.subscriptionId(),
              m.to(),
              m.subject(),
              m.attachments().stream()
                  .map(MailMessage.Attachment::name)
                  .collect(Collectors.joining(",")),
              viaSmtp,
              now
            });
      }
    }
    if (!rows.isEmpty()) {
      MultiRowInsert.insert(
          jdbc,
          "insert into mails (outbox_id, subscription_id, recipient, subject, attachments,"
              + " via_smtp, sent_at)",
          "(?, ?, ?, ?, ?, ?, ?)",
          "",
          rows);
    }
  }

  /**
   * What the fast path needs of a sender, worked out once per session: the {@code From} header as
   * Jakarta Mail writes it and the host part of its message ids. Null (the fast path off) when
   * Jakarta Mail is configured to write MIME differently ({@code mail.mime.*} settings, in the
   * session or the system properties) or the transport converts mails to 8 bits itself.
   */
  private record Prebuilt(
      jakarta.mail.Session session, InternetAddress from, String fromHeader, String idSuffix) {}

  private volatile Prebuilt prebuilt;

  private Prebuilt prebuilt(JavaMailSenderImpl smtp) {
    Prebuilt p = prebuilt;
    if (p != null && p.session() == smtp.getSession()) {
      return p;
    }
    jakarta.mail.Session session = smtp.getSession();
    if (mimeSettings(session.getProperties())
        || mimeSettings(System.getProperties())
        || Boolean.parseBoolean(session.getProperty("mail.smtp.allow8bitmime"))
        || Boolean.parseBoolean(session.getProperty("mail.smtps.allow8bitmime"))) {
      return null;
    }
    try {
      InternetAddress sender = address(from);
      InternetAddress local = InternetAddress.getLocalAddress(session);
      String suffix = local == null ? "@localhost" : local.getAddress();
      suffix = suffix.lastIndexOf('@') >= 0 ? suffix.substring(suffix.lastIndexOf('@')) : "";
      p =
          new Prebuilt(
              session, sender, InternetAddress.toString(new Address[] {sender}, 6), suffix);
    } catch (MessagingException e) {
      return null; // the sender is built (and fails) per mail, as before
    }
    prebuilt = p;
    return p;
  }

  private static boolean mimeSettings(java.util.Properties properties) {
    for (String name : properties.stringPropertyNames()) {
      if (name.startsWith("mail.mime.")) {
        return true;
      }
    }
    return false;
  }

  /** The mail's bytes written at once when they need no encoding ({@link MimeBytes}). */
  private MimeMessage build(JavaMailSender smtp, Prebuilt p, MailMessage m) {
    if (p != null) {
      try {
        InternetAddress to = address(m.to());
        Optional<byte[]> bytes =
            MimeBytes.write(
                m,
                to,
                p.fromHeader(),
                java.util.Date.from(clock.instant()),
                p.idSuffix(),
                StandardCharsets.UTF_8.name());
        if (bytes.isPresent()) {
          return new PrebuiltMimeMessage(p.session(), p.from(), to, bytes.get());
        }
      } catch (MessagingException e) {
        throw new MailSendException("cannot build the mail to " + m.to(), e);
      }
    }
    return mime(smtp, m);
  }

  /** An address as {@code MimeMessageHelper} parses it: exactly one, personal name in UTF-8. */
  private static InternetAddress address(String address) throws MessagingException {
    InternetAddress[] parsed = InternetAddress.parse(address);
    if (parsed.length != 1) {
      throw new AddressException("Illegal address", address);
    }
    try {
      return new InternetAddress(
          parsed[0].getAddress(), parsed[0].getPersonal(), StandardCharsets.UTF_8.name());
    } catch (UnsupportedEncodingException e) {
      throw new MessagingException("cannot encode the personal name", e);
    }
  }

  private MimeMessage mime(JavaMailSender smtp, MailMessage m) {
    try {
      MimeMessage mime = smtp.createMimeMessage();
      MimeMessageHelper h = new MimeMessageHelper(mime, true, StandardCharsets.UTF_8.name());
      h.setFrom(from);
      h.setTo(m.to());
      h.setSubject(m.subject());
      h.setSentDate(java.util.Date.from(clock.instant()));
      h.setText(m.text(), m.html());
      for (MailMessage.Attachment a : m.attachments()) {
        h.addAttachment(
            a.name(),
            new ByteArrayResource(a.content().getBytes(StandardCharsets.UTF_8)),
            a.contentType());
      }
      for (Map.Entry<String, String> header : m.headers().entrySet()) {
        mime.setHeader(header.getKey(), header.getValue());
      }
      return mime;
    } catch (MessagingException e) {
      throw new MailSendException("cannot build the mail to " + m.to(), e);
    }
  }
}
