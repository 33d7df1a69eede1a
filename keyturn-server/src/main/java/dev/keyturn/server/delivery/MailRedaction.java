package dev.keyturn.server.delivery;

import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

/**
 * What staff may read of a stored mail. A one-time sign-in link (the customer portal's {@code
 * ?token=…}) would let whoever reads the mail log act as that customer's contact, so its token is
 * masked wherever mails are listed, and so is a billing-portal link's signature. Only a server
 * without SMTP shows it: there the mail log is the one way to follow a link at all, and such a
 * server is a trial, not production.
 */
@Component
public class MailRedaction {
  // Sign-in tokens, and the signatures of billing-portal links (which open a Stripe session).
  private static final Pattern TOKEN = Pattern.compile("([?&](?:token|sig)=)[A-Za-z0-9_-]{16,}");
  public static final String MASK = "[hidden: one-time link]";

  private final ObjectProvider<JavaMailSender> smtp;

  MailRedaction(ObjectProvider<JavaMailSender> smtp) {
    this.smtp = smtp;
  }

  public MailMessage forStaff(MailMessage m) {
    if (!masks()) {
      return m;
    }
    return new MailMessage(
        m.to(), m.subject(), mask(m.text()), mask(m.html()), m.attachments(), m.headers());
  }

  public String forStaff(String body) {
    return masks() ? mask(body) : body;
  }

  private boolean masks() {
    return smtp.getIfAvailable() != null;
  }

  public static String mask(String body) {
    return body == null ? null : TOKEN.matcher(body).replaceAll("$1" + MASK);
  }
}
