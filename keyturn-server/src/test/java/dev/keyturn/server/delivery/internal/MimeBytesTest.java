package dev.keyturn.server.delivery.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.delivery.MailMessage;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The fast path itself: which mails it writes, and that what it writes is what Spring's helper and
 * Jakarta Mail write for the same mail (Message-ID and boundaries masked). {@code MailBytesTest}
 * compares the two on the wire for the real templates.
 */
class MimeBytesTest {
  private static final Session SESSION = Session.getInstance(new Properties());
  private static final String ICS =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:lic_01-expiry@keyturn\r\n"
          + "SUMMARY:Bench 1 license expires\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

  @Test
  void plain_ascii_mails_are_written_as_jakarta_mail_writes_them() throws Exception {
    List<MailMessage> mails =
        List.of(
            mail("Your Acme Corp license expires in 30 day(s)", "Dear Acme,\nrenew.\n", ICS),
            mail(
                "A subject long enough that Jakarta Mail folds it over two lines of the header for"
                    + " sure, and then some more",
                "no attachment\n",
                null),
            new MailMessage(
                "ops@acme.example",
                "Your new Acme license",
                "text\n",
                "<p>html</p>",
                List.of(
                    new MailMessage.Attachment(
                        "lic_01JABCDEFGHJKMNPQRSTVWXYZ0.license.toml",
                        "application/toml",
                        "[license]\nid = \"lic_01\"\n"),
                    new MailMessage.Attachment("license-dates.ics", "text/calendar", ICS)),
                Map.of()));
    for (MailMessage m : mails) {
      InternetAddress to = new InternetAddress(m.to());
      Date sent = new Date();
      byte[] fast =
          MimeBytes.write(m, to, "licenses@vendor.example", sent, "@localhost", "UTF-8")
              .orElseThrow();
      assertThat(masked(new String(fast, StandardCharsets.US_ASCII)))
          .isEqualTo(masked(jakarta(m, sent)));
    }
  }

  @Test
  void mails_that_need_an_encoding_are_left_to_jakarta_mail() throws Exception {
    InternetAddress to = new InternetAddress("ops@acme.example");
    for (MailMessage m :
        List.of(
            mail("Subject", "Zürich\n", null),
            mail("Subject", "x".repeat(999), null),
            mail("Subject", "text", "DESCRIPTION:Ærø\r\n"),
            new MailMessage(
                "ops@acme.example",
                "Subject",
                "text",
                "<p/>",
                List.of(new MailMessage.Attachment("a name.txt", "text/plain", "x")),
                Map.of()),
            new MailMessage(
                "ops@acme.example",
                "Subject",
                "text",
                "<p/>",
                List.of(),
                Map.of("Reply-To", "x")))) {
      assertThat(MimeBytes.write(m, to, "licenses@vendor.example", new Date(), "@h", "UTF-8"))
          .as(m.toString())
          .isEmpty();
    }
  }

  private static MailMessage mail(String subject, String text, String ics) {
    return new MailMessage(
        "ops@acme.example",
        subject,
        text,
        "<!DOCTYPE html>\n<html><body><p>" + text + "</p></body></html>\n",
        ics == null
            ? List.of()
            : List.of(new MailMessage.Attachment("license-dates.ics", "text/calendar", ics)),
        Map.of("List-Unsubscribe", "<mailto:licenses@vendor.example?subject=mute%20sub_01>"));
  }

  /** What MailTransport built before the fast path, written as the SMTP transport writes it. */
  private static String jakarta(MailMessage m, Date sent) throws Exception {
    MimeMessage mime =
        MimeReference.build(new MimeMessage(SESSION), "licenses@vendor.example", m, sent);
    mime.saveChanges();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    mime.writeTo(out, new String[] {"Bcc", "Content-Length"});
    return out.toString(StandardCharsets.US_ASCII);
  }

  private static String masked(String raw) {
    List<String> boundaries = new ArrayList<>();
    Matcher matcher = Pattern.compile("boundary=\"([^\"]+)\"").matcher(raw);
    while (matcher.find()) {
      boundaries.add(matcher.group(1));
    }
    assertThat(boundaries).hasSize(3);
    for (int i = 0; i < boundaries.size(); i++) {
      raw = raw.replace(boundaries.get(i), "BOUNDARY-" + i);
    }
    return raw.replaceAll("(?m)^Message-ID: .*$", "Message-ID: (varies)");
  }
}
