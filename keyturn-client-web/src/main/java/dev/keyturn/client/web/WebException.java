package dev.keyturn.client.web;

import dev.keyturn.client.ClientException;

/**
 * The root of every exception the web module throws on purpose: configuration that does not hold,
 * or a request it refuses before any handler runs (a body too large).
 */
public class WebException extends ClientException {
  private static final long serialVersionUID = 1L;

  public WebException(String message) {
    super(message);
  }

  public WebException(String message, Throwable cause) {
    super(message, cause);
  }
}
