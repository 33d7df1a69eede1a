package dev.keyturn.server.config;

import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.KeyturnServerException;

/** A setting that stops the server from starting; the message says which and how to fix it. */
public class SetupException extends KeyturnServerException {
  private static final long serialVersionUID = 1L;

  public SetupException(String message) {
    super(ErrorCode.INTERNAL, message);
  }
}
