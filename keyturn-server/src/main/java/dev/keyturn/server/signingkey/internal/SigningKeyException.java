package dev.keyturn.server.signingkey.internal;

import dev.keyturn.server.config.SetupException;

/** A signing or master key that cannot be loaded, sealed or opened: a setup problem. */
public final class SigningKeyException extends SetupException {
  private static final long serialVersionUID = 1L;

  public SigningKeyException(String message) {
    super(message);
  }

  public SigningKeyException(String message, Throwable cause) {
    super(message);
    initCause(cause);
  }
}
