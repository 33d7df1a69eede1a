package dev.keyturn.server.security;

/** What the server's own HTML pages (the staff console and the customer portal) share. */
public final class PageSecurity {
  /**
   * Everything from this server only: no inline scripts or styles, no framing, forms post only
   * here. Pages carry their scripts and styles as files under {@code /assets}.
   */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action"
          + " 'self'; frame-ancestors 'none'";

  private PageSecurity() {}
}
