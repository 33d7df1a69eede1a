package dev.keyturn.core.crypto;

import dev.keyturn.core.KeyturnException;

/** A key that cannot be read, generated or used. */
public final class KeyException extends KeyturnException {
  private static final long serialVersionUID = 1L;

  public KeyException(String message) {
    super(message);
  }

  public KeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
