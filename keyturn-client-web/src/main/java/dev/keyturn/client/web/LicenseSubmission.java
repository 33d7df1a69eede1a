package dev.keyturn.client.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The license text in an install request, however it was sent: the install form (a pasted {@code
 * license} field and/or an uploaded {@code file}, multipart or url-encoded), JSON {@code
 * {"license": "…"}}, or the raw file as the body ({@code curl --data-binary @acme.license.toml}).
 * An uploaded file wins over the text box; both empty means nothing was sent.
 *
 * @param returnTo where the form wants to go back to after a successful install, when it said
 */
record LicenseSubmission(String text, Optional<String> returnTo) {
  static final String FIELD = "license";
  static final String FILE_FIELD = "file";
  static final String RETURN_FIELD = "return_to";

  /** Empty when the body is multipart that does not parse. */
  static Optional<LicenseSubmission> from(String contentType, byte[] body) {
    String type = contentType.toLowerCase(Locale.ROOT);
    if (type.startsWith("multipart/form-data")) {
      return Multipart.boundary(contentType)
          .flatMap(b -> Multipart.parse(body, b))
          .map(LicenseSubmission::fromParts);
    }
    if (type.startsWith("application/x-www-form-urlencoded")) {
      Map<String, String> form = urlEncoded(new String(body, StandardCharsets.US_ASCII));
      return Optional.of(
          new LicenseSubmission(
              form.getOrDefault(FIELD, ""), Optional.ofNullable(form.get(RETURN_FIELD))));
    }
    if (type.startsWith("application/json")) {
      return Optional.of(
          new LicenseSubmission(
              Json.readObject(body).flatMap(j -> Json.text(j, FIELD)).orElse(""),
              Optional.empty()));
    }
    return Optional.of(
        new LicenseSubmission(new String(body, StandardCharsets.UTF_8), Optional.empty()));
  }

  boolean isBlank() {
    return text.isBlank();
  }

  private static LicenseSubmission fromParts(List<Multipart.Part> parts) {
    String pasted = "";
    String uploaded = "";
    Optional<String> returnTo = Optional.empty();
    for (Multipart.Part p : parts) {
      switch (p.name()) {
        case FIELD -> pasted = p.text();
        case FILE_FIELD -> uploaded = p.text();
        case RETURN_FIELD -> returnTo = Optional.of(p.text());
        default -> {
          // Other fields are the host page's business.
        }
      }
    }
    return new LicenseSubmission(uploaded.isBlank() ? pasted : uploaded, returnTo);
  }

  static Map<String, String> urlEncoded(String body) {
    Map<String, String> out = new HashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        out.putIfAbsent(
            URLDecoder.decode(key, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        // A malformed escape: drop the pair, as browsers never send one.
      }
    }
    return out;
  }
}
