package dev.keyturn.client;

import dev.keyturn.core.KeyturnException;

/**
 * The root of every exception the client throws on purpose: configuration that does not hold, or a
 * state directory that cannot be read or written. A license that is merely bad is never an
 * exception: {@link LicenseManager#install(String)} returns a typed {@link InstallResult} instead.
 */
public class ClientException extends KeyturnException {
  private static final long serialVersionUID = 1L;

  public ClientException(String message) {
    super(message);
  }

  public ClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
