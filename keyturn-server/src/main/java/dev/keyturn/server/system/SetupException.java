package dev.keyturn.server.system;

/** A setting that stops the server from starting; the message says which and how to fix it. */
public class SetupException extends KeyturnServerException {
  private static final long serialVersionUID = 1L;

  public SetupException(String message) {
    super(ErrorCode.INTERNAL, message);
  }
}
