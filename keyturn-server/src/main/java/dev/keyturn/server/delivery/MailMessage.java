package dev.keyturn.server.delivery;

import java.util.List;
import java.util.Map;

/**
 * One rendered mail to one recipient, as stored in the outbox: rendering happens when the change is
 * made, so a later template change never alters what a past change announced.
 */
public record MailMessage(
    String to,
    String subject,
    String text,
    String html,
    List<Attachment> attachments,
    Map<String, String> headers) {

  public MailMessage {
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  /**
   * @param content the attachment's text (license files and calendars are text)
   */
  public record Attachment(String name, String contentType, String content) {}
}
