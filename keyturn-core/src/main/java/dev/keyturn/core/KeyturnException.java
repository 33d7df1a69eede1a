package dev.keyturn.core;

/** The root of every exception Keyturn throws on purpose; unchecked, like the rest of the API. */
public class KeyturnException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KeyturnException(String message) {
    super(message);
  }

  public KeyturnException(String message, Throwable cause) {
    super(message, cause);
  }
}
