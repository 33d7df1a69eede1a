package dev.keyturn.server.signingkey;

import dev.keyturn.server.system.ErrorCode;
import dev.keyturn.server.system.KeyturnServerException;

/** A signing or master key that cannot be loaded, sealed or opened: a setup problem. */
public final class SigningKeyException extends KeyturnServerException {
  private static final long serialVersionUID = 1L;

  public SigningKeyException(String message) {
    super(ErrorCode.INTERNAL, message);
  }

  public SigningKeyException(String message, Throwable cause) {
    super(ErrorCode.INTERNAL, message);
    initCause(cause);
  }
}
