package dev.keyturn.server.delivery.internal;

import dev.keyturn.server.delivery.MailMessage;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParameterList;
import java.io.ByteArrayOutputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Writes a stored mail as the MIME bytes that Spring's {@code MimeMessageHelper} (multipart, UTF-8)
 * and Jakarta Mail write for it, in one pass over a byte buffer: Jakarta Mail spends most of a
 * mail's delivery building data handlers, parsing the content types it just wrote, scanning every
 * part twice to choose its transfer encoding and looking up its stream provider for each part.
 *
 * <p>Only mails that need no transfer encoding take this path: text, HTML and attachments of
 * printable ASCII with lines of at most 998 octets (Jakarta Mail writes those "7bit", as they are),
 * attachment names and types of plain tokens, extra headers named {@code List-*}. The headers that
 * can carry other text (subject, addresses) and every header parameter are written by Jakarta
 * Mail's own functions ({@link MimeUtility#encodeText}, {@link MimeUtility#fold}, {@link
 * InternetAddress#toString(Address[], int)}, {@link ContentType#toString()}). Any other mail is
 * empty here and is built by Jakarta Mail as before. {@code MailBytesTest} compares both paths'
 * bytes on the wire for every mail template.
 */
final class MimeBytes {
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");
  private static final Pattern MEDIA_TYPE = Pattern.compile("([a-z]+)/([a-z0-9][a-z0-9.+-]*)");
  private static final Pattern EXTRA_HEADER = Pattern.compile("List-[A-Za-z-]{1,60}");
  private static final AtomicLong PARTS = new AtomicLong();
  private static final AtomicLong IDS = new AtomicLong();
  private static final ThreadLocal<MailDateFormat> DATES =
      ThreadLocal.withInitial(MailDateFormat::new);

  private MimeBytes() {}

  /**
   * @param fromHeader the {@code From} header's value as Jakarta Mail writes it
   * @param messageIdSuffix {@code @host}, as Jakarta Mail ends its message ids
   */
  static Optional<byte[]> write(
      MailMessage m,
      InternetAddress to,
      String fromHeader,
      Date sent,
      String messageIdSuffix,
      String charset)
      throws MessagingException {
    byte[] text = sevenBit(m.text());
    byte[] html = sevenBit(m.html());
    if (text == null || html == null) {
      return Optional.empty();
    }
    byte[][] contents = new byte[m.attachments().size()][];
    for (int i = 0; i < contents.length; i++) {
      MailMessage.Attachment a = m.attachments().get(i);
      contents[i] = sevenBit(a.content());
      if (contents[i] == null
          || !TOKEN.matcher(a.name()).matches()
          || !MEDIA_TYPE.matcher(a.contentType()).matches()) {
        return Optional.empty();
      }
    }
    for (Map.Entry<String, String> h : m.headers().entrySet()) {
      if (!EXTRA_HEADER.matcher(h.getKey()).matches() || !sevenBitLine(h.getValue())) {
        return Optional.empty();
      }
    }
    String subject;
    try {
      subject = MimeUtility.fold(9, MimeUtility.encodeText(m.subject(), charset, null));
    } catch (UnsupportedEncodingException e) {
      throw new MessagingException("cannot encode the subject", e);
    }
    int size = text.length + html.length + 2048;
    for (byte[] c : contents) {
      size += c.length + 512;
    }
    String toHeader = InternetAddress.toString(new Address[] {to}, 4);
    if (!ascii(subject) || !ascii(fromHeader) || !ascii(toHeader)) {
      return Optional.empty(); // UTF-8 in headers (mail.mime.allowutf8): Jakarta Mail's to write
    }
    Out out = new Out(size);
    String mixed = boundary(sent);
    out.header("Date", DATES.get().format(sent));
    out.header("From", fromHeader);
    out.header("To", toHeader);
    out.header("Message-ID", messageId(messageIdSuffix, sent));
    out.header("Subject", subject);
    out.header("MIME-Version", "1.0");
    out.header("Content-Type", multipart("mixed", mixed));
    for (Map.Entry<String, String> h : m.headers().entrySet()) {
      out.header(h.getKey(), h.getValue());
    }
    out.crlf();

    String related = boundary(sent);
    out.open(mixed).header("Content-Type", multipart("related", related)).crlf();
    String alternative = boundary(sent);
    out.open(related).header("Content-Type", multipart("alternative", alternative)).crlf();
    out.open(alternative)
        .header(
            "Content-Type",
            "text/plain; charset=" + MimeUtility.quote(charset, "()<>@,;:\\\"\t []/?="))
        .header("Content-Transfer-Encoding", "7bit")
        .crlf()
        .bytes(text)
        .crlf();
    out.open(alternative)
        .header("Content-Type", "text/html;charset=" + charset)
        .header("Content-Transfer-Encoding", "7bit")
        .crlf()
        .bytes(html)
        .crlf();
    out.close(alternative).crlf();
    out.close(related).crlf();
    for (int i = 0; i < contents.length; i++) {
      MailMessage.Attachment a = m.attachments().get(i);
      var type = MEDIA_TYPE.matcher(a.contentType());
      type.matches();
      ParameterList params = new ParameterList();
      if (type.group(1).equals("text")) {
        params.set("charset", "us-ascii");
      }
      params.set("name", a.name());
      ParameterList file = new ParameterList();
      file.set("filename", a.name());
      out.open(mixed)
          .header("Content-Type", new ContentType(type.group(1), type.group(2), params).toString())
          .header("Content-Transfer-Encoding", "7bit")
          .header("Content-Disposition", new ContentDisposition("attachment", file).toString())
          .crlf()
          .bytes(contents[i])
          .crlf();
    }
    out.close(mixed);
    return Optional.of(out.toByteArray());
  }

  private static String multipart(String subtype, String boundary) {
    ParameterList params = new ParameterList();
    params.set("boundary", boundary);
    return new ContentType("multipart", subtype, params).toString();
  }

  /**
   * In Jakarta Mail's form, {@code ----=_Part_<n>_<number>.<millis>}, and of its length: the {@code
   * Content-Type} header is folded before the boundary when the line would pass 76 characters,
   * which with Jakarta Mail's 9 to 10-digit numbers it (almost) always does. The millis are the
   * mail's {@code Date} (the injected clock's), not a second reading of the wall clock: the counter
   * and the random number make the boundary unique.
   */
  private static String boundary(Date sent) {
    return "----=_Part_"
        + PARTS.getAndIncrement()
        + "_"
        + ThreadLocalRandom.current().nextInt(1_000_000_000, Integer.MAX_VALUE)
        + "."
        + sent.getTime();
  }

  /** In Jakarta Mail's form: {@code <number>.<n>.<millis>@host}. */
  private static String messageId(String suffix, Date sent) {
    return "<"
        + (ThreadLocalRandom.current().nextInt() & Integer.MAX_VALUE)
        + "."
        + IDS.getAndIncrement()
        + "."
        + sent.getTime()
        + suffix
        + ">";
  }

  /**
   * The text's bytes when Jakarta Mail sends it as it is ("7bit": printable ASCII, tabs and line
   * breaks, no line longer than 998 octets); null otherwise.
   */
  static byte[] sevenBit(String s) {
    if (s == null) {
      return null;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length != s.length()) {
      return null; // a character outside ASCII
    }
    int line = 0;
    for (byte b : bytes) {
      if (b == '\r' || b == '\n') {
        line = 0;
      } else if ((b >= 0x20 && b < 0x7f) || b == '\t') {
        if (++line > 998) {
          return null;
        }
      } else {
        return null;
      }
    }
    return bytes;
  }

  private static boolean ascii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static boolean sevenBitLine(String s) {
    return sevenBit(s) != null && s.indexOf('\r') < 0 && s.indexOf('\n') < 0;
  }

  /** A byte buffer with the few things a MIME writer says. */
  private static final class Out extends ByteArrayOutputStream {
    Out(int size) {
      super(size);
    }

    Out ascii(String s) {
      int n = s.length();
      ensure(n);
      for (int i = 0; i < n; i++) {
        buf[count++] = (byte) s.charAt(i);
      }
      return this;
    }

    Out bytes(byte[] b) {
      write(b, 0, b.length);
      return this;
    }

    Out header(String name, String value) {
      return ascii(name).ascii(": ").ascii(value).crlf();
    }

    Out crlf() {
      return ascii("\r\n");
    }

    Out open(String boundary) {
      return ascii("--").ascii(boundary).crlf();
    }

    Out close(String boundary) {
      return ascii("--").ascii(boundary).ascii("--").crlf();
    }

    private void ensure(int more) {
      if (count + more > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
      }
    }
  }
}
