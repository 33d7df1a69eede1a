package dev.keyturn.server.console.mail;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * A mail's HTML part, served on its own console URL for an {@code <iframe sandbox>}: its own CSP
 * runs no script, loads nothing from anywhere (inline styles and data: images only, as mail clients
 * show them) and sandboxes the document into a unique origin, so mail content can never act as the
 * signed-in staff member. Only console pages may frame it.
 */
final class SandboxedHtml {
  static final String POLICY =
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox;"
          + " frame-ancestors 'self'";

  private SandboxedHtml() {}

  static ResponseEntity<String> of(String html) {
    return ResponseEntity.ok()
        .contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
        .header("Content-Security-Policy", POLICY)
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .body(html);
  }
}
