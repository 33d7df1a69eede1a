package dev.keyturn.client.web;

/**
 * The stable codes of the web module's own refusals, with their HTTP status: mapped here and
 * nowhere else. A rejected license answers with its {@link dev.keyturn.core.VerificationCode}
 * instead (status {@value #LICENSE_REJECTED_STATUS}).
 */
public enum WebError {
  /** A change (POST/PUT/PATCH/DELETE) to the product during read-only grace. */
  READ_ONLY(403, "The product is read-only"),
  /** Any product route while locked. */
  LOCKED(423, "The product is locked"),
  /** A license route posted from another site. */
  CROSS_SITE_REQUEST(403, "Cross-site request refused"),
  PAYLOAD_TOO_LARGE(413, "Request too large"),
  BAD_REQUEST(400, "Bad request"),
  NOT_FOUND(404, "Not found"),
  METHOD_NOT_ALLOWED(405, "Method not allowed"),
  /** The license could not be written (disk full, permissions) or the manager is read-only. */
  INSTALL_FAILED(500, "The license could not be installed"),
  /** The dismissal could not be written to the state directory. */
  DISMISS_FAILED(500, "The notice could not be dismissed"),
  /** "Renew" was asked to post to a server, but none is configured. */
  RENEWAL_NOT_CONFIGURED(404, "No renewal server is configured"),
  /** The renewal server could not be reached or refused the request. */
  RENEWAL_FAILED(502, "The renewal request was not accepted");

  public static final int LICENSE_REJECTED_STATUS = 422;

  private final int status;
  private final String title;

  WebError(int status, String title) {
    this.status = status;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }
}
