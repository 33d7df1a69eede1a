package dev.keyturn.client.web;

/** A request body above the limit; carries the limit so the answer can name it. */
public final class PayloadTooLargeException extends WebException {
  private static final long serialVersionUID = 1L;

  private final int limit;

  public PayloadTooLargeException(int limit) {
    super("the request body is larger than " + limit + " bytes");
    this.limit = limit;
  }

  public int limit() {
    return limit;
  }
}
