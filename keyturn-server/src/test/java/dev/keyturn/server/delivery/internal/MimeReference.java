package dev.keyturn.server.delivery.internal;

import dev.keyturn.server.delivery.MailMessage;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Map;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.mail.javamail.MimeMessageHelper;

/**
 * How MailTransport built every mail before it wrote plain ones as bytes (issue 22), kept here as
 * the reference the new path's bytes are compared to; MailTransport still builds the others so.
 */
public final class MimeReference {
  private MimeReference() {}

  /** Fills {@code mime} (a blank message of the sender's session) as the old path did. */
  public static MimeMessage build(MimeMessage mime, String from, MailMessage m, Date sent)
      throws Exception {
    MimeMessageHelper h = new MimeMessageHelper(mime, true, StandardCharsets.UTF_8.name());
    h.setFrom(from);
    h.setTo(m.to());
    h.setSubject(m.subject());
    h.setSentDate(sent);
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
  }
}
