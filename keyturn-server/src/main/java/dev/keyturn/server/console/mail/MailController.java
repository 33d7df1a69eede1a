package dev.keyturn.server.console.mail;

import dev.keyturn.server.delivery.MailMessage;
import dev.keyturn.server.web.KeyturnServerException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** The mail log, one mail with its parts and attachments, and the previews of every template. */
@Controller
class MailController {
  private final MailLog log;
  private final TemplatePreviews previews;

  MailController(MailLog log, TemplatePreviews previews) {
    this.log = log;
    this.previews = previews;
  }

  @GetMapping("/console/mail")
  String list(
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String recipient,
      @RequestParam(name = "subscription", required = false) String subscriptionId,
      @RequestParam(name = "type", required = false) String eventType,
      @RequestParam(defaultValue = "0") int page,
      Model model) {
    MailLog.Filter filter = new MailLog.Filter(status, recipient, subscriptionId, eventType);
    List<MailLog.StoredMail> found = log.find(filter, page);
    model.addAttribute("filter", filter);
    model.addAttribute("mails", found.subList(0, Math.min(found.size(), MailLog.PAGE)));
    model.addAttribute("page", Math.max(0, page));
    model.addAttribute("hasNext", found.size() > MailLog.PAGE);
    return "console/mail/list";
  }

  @GetMapping("/console/mail/{id:\\d+}")
  String show(@PathVariable long id, Model model) {
    model.addAttribute("mail", log.get(id));
    return "console/mail/show";
  }

  @GetMapping("/console/mail/{id:\\d+}/html")
  ResponseEntity<String> html(@PathVariable long id) {
    return SandboxedHtml.of(log.get(id).message().html());
  }

  /** Always a download, never shown inline, whatever type the attachment claims. */
  @GetMapping("/console/mail/{id:\\d+}/attachments/{index:\\d+}")
  ResponseEntity<byte[]> attachment(@PathVariable long id, @PathVariable int index) {
    List<MailMessage.Attachment> attachments = log.get(id).message().attachments();
    if (index < 0 || index >= attachments.size()) {
      throw KeyturnServerException.notFound("attachment of mail " + id, Integer.toString(index));
    }
    MailMessage.Attachment a = attachments.get(index);
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_OCTET_STREAM)
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.attachment()
                .filename(a.name(), StandardCharsets.UTF_8)
                .build()
                .toString())
        .body(a.content().getBytes(StandardCharsets.UTF_8));
  }

  @GetMapping("/console/mail/templates")
  String templates(Model model) {
    model.addAttribute(
        "previews",
        previews.all().stream()
            .map(p -> new RenderedPreview(p, previews.render(p.key()).text()))
            .toList());
    return "console/mail/templates";
  }

  @GetMapping("/console/mail/templates/{key}/html")
  ResponseEntity<String> templateHtml(@PathVariable String key) {
    return SandboxedHtml.of(previews.render(key).html());
  }

  /** A preview with its text part; the HTML part is framed from {@link #templateHtml}. */
  public record RenderedPreview(TemplatePreviews.Preview preview, String text) {}
}
