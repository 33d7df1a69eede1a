package dev.keyturn.server.delivery.internal;

import dev.keyturn.server.config.AutomationProperties;
import dev.keyturn.server.delivery.MailMessage;
import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.jdbc.MultiRowInsert;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends mails over SMTP when one is configured ({@code spring.mail.host}), and always keeps a copy
 * in {@code mails}: without SMTP (the embedded default) that copy is the delivery, read through the
 * API and the console. A batch goes over one SMTP connection (one handshake, not one per mail), and
 * each mail succeeds or fails on its own.
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
  }

  /**
   * Sends the mails and stores a copy of each one sent; returns the failure of each one that was
   * not, by outbox id (empty when all went out).
   */
  public Map<Long, RuntimeException> send(List<Outgoing> mails) {
    Map<Long, RuntimeException> failed = new LinkedHashMap<>();
    JavaMailSender smtp = sender.getIfAvailable();
    Map<Long, MailMessage> messages = new LinkedHashMap<>();
    Map<MimeMessage, Long> mimes = new IdentityHashMap<>();
    for (Outgoing m : mails) {
      try {
        MailMessage message = json.readValue(m.payload(), MailMessage.class);
        if (smtp != null) {
          mimes.put(mime(smtp, message), m.outboxId());
        }
        messages.put(m.outboxId(), message);
      } catch (RuntimeException e) {
        failed.put(m.outboxId(), e);
      }
    }
    if (smtp != null && !mimes.isEmpty()) {
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
    }
    failed.keySet().forEach(messages::remove);
    store(mails, messages, smtp != null);
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
              m.text(),
              m.html(),
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
          "insert into mails (outbox_id, subscription_id, recipient, subject, text_body,"
              + " html_body, attachments, via_smtp, sent_at)",
          "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
          "",
          rows);
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
