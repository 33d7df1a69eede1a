package dev.keyturn.core.usage;

import dev.keyturn.core.KeyturnException;
import java.util.Objects;

/** A usage report that cannot be read or trusted; the message names the field and the limit. */
public final class UsageReportException extends KeyturnException {
  private static final long serialVersionUID = 1L;

  private final UsageReportCode code;

  public UsageReportException(UsageReportCode code, String message) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
  }

  public UsageReportCode code() {
    return code;
  }

  static UsageReportException malformed(String message) {
    return new UsageReportException(UsageReportCode.MALFORMED, message);
  }

  static UsageReportException outOfRange(String message) {
    return new UsageReportException(UsageReportCode.OUT_OF_RANGE, message);
  }

  static UsageReportException tooLarge(String message) {
    return new UsageReportException(UsageReportCode.TOO_LARGE, message);
  }
}
