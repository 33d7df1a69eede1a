package dev.keyturn.client.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough {@code multipart/form-data} (RFC 7578) for the install form: a text field and a file.
 * A servlet filter cannot rely on the container's {@code getParts()}, which needs multipart
 * configuration on the servlet behind it; the body is already bounded by the caller.
 */
final class Multipart {
  private static final Pattern BOUNDARY =
      Pattern.compile("(?i)boundary=(?:\"([^\"]{1,70})\"|([^;\\s]{1,70}))");
  private static final Pattern NAME = Pattern.compile("(?i);\\s*name=\"([^\"]*)\"");
  private static final Pattern FILENAME = Pattern.compile("(?i);\\s*filename=\"([^\"]*)\"");
  private static final byte[] CRLF_CRLF = {'\r', '\n', '\r', '\n'};

  private Multipart() {}

  /**
   * @param filename present for a file field, even when no file was chosen (then empty)
   */
  record Part(String name, Optional<String> filename, byte[] content) {
    String text() {
      return new String(content, StandardCharsets.UTF_8);
    }
  }

  static Optional<String> boundary(String contentType) {
    Matcher m = BOUNDARY.matcher(contentType);
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(m.group(1) != null ? m.group(1) : m.group(2));
  }

  /** The parts, or empty when the body is not well-formed multipart for this boundary. */
  static Optional<List<Part>> parse(byte[] body, String boundary) {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    int at = indexOf(body, delimiter, 0);
    if (at < 0) {
      return Optional.empty();
    }
    List<Part> parts = new ArrayList<>();
    int pos = at + delimiter.length;
    while (true) {
      if (startsWith(body, pos, "--")) {
        return Optional.of(parts); // the closing delimiter
      }
      if (!startsWith(body, pos, "\r\n")) {
        return Optional.empty();
      }
      int headersStart = pos + 2;
      int headersEnd = indexOf(body, CRLF_CRLF, headersStart);
      if (headersEnd < 0) {
        return Optional.empty();
      }
      String headers =
          new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
      int contentStart = headersEnd + 4;
      int contentEnd = indexOf(body, next, contentStart);
      if (contentEnd < 0) {
        return Optional.empty();
      }
      byte[] content = new byte[contentEnd - contentStart];
      System.arraycopy(body, contentStart, content, 0, content.length);
      disposition(headers).ifPresent(d -> parts.add(part(d, content)));
      pos = contentEnd + next.length;
    }
  }

  private static Optional<String> disposition(String headers) {
    for (String line : headers.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0
          && line.substring(0, colon)
              .strip()
              .toLowerCase(Locale.ROOT)
              .equals("content-disposition")) {
        return Optional.of(line.substring(colon + 1));
      }
    }
    return Optional.empty();
  }

  private static Part part(String disposition, byte[] content) {
    Matcher name = NAME.matcher(disposition);
    Matcher filename = FILENAME.matcher(disposition);
    return new Part(
        name.find() ? name.group(1) : "",
        filename.find() ? Optional.of(filename.group(1)) : Optional.empty(),
        content);
  }

  private static boolean startsWith(byte[] body, int pos, String ascii) {
    if (pos + ascii.length() > body.length) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (body[pos + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
