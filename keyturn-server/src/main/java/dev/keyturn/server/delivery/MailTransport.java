package dev.keyturn.server.delivery;

import dev.keyturn.server.system.AutomationProperties;
import dev.keyturn.server.system.Db;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends a mail over SMTP when one is configured ({@code spring.mail.host}), and always keeps a copy
 * in {@code mails}: without SMTP (the embedded default) that copy is the delivery, read through the
 * API and the console.
 */
@Component
class MailTransport {
  private final ObjectProvider<JavaMailSender> sender;
  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final Clock clock;
  private final String from;

  MailTransport(
      ObjectProvider<JavaMailSender> sender,
      JdbcClient jdbc,
      JsonMapper json,
      Clock clock,
      AutomationProperties properties) {
    this.sender = sender;
    this.jdbc = jdbc;
    this.json = json;
    this.clock = clock;
    this.from = properties.notifications().from();
  }

  void send(long outboxId, String subscriptionId, String payload) {
    MailMessage m = json.readValue(payload, MailMessage.class);
    JavaMailSender smtp = sender.getIfAvailable();
    if (smtp != null) {
      smtp.send(mime(smtp, m));
    }
    jdbc.sql(
            "insert into mails (outbox_id, subscription_id, recipient, subject, text_body,"
                + " html_body, attachments, via_smtp, sent_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            outboxId,
            subscriptionId,
            m.to(),
            m.subject(),
            m.text(),
            m.html(),
            m.attachments().stream()
                .map(MailMessage.Attachment::name)
                .collect(Collectors.joining(",")),
            smtp != null,
            Db.ts(clock.instant()))
        .update();
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
