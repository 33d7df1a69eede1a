package dev.keyturn.core.license;

import dev.keyturn.core.KeyturnException;
import dev.keyturn.core.VerificationCode;

/**
 * A license file that cannot be read: {@link VerificationCode#MALFORMED} or {@link
 * VerificationCode#UNSUPPORTED_FORMAT}. The message says what is wrong and, where known, on which
 * line.
 */
public final class LicenseFormatException extends KeyturnException {
  private static final long serialVersionUID = 1L;

  private final VerificationCode code;

  public LicenseFormatException(VerificationCode code, String message) {
    super(message);
    this.code = code;
  }

  static LicenseFormatException malformed(String message) {
    return new LicenseFormatException(VerificationCode.MALFORMED, message);
  }

  public VerificationCode code() {
    return code;
  }
}
