package dev.keyturn.client;

import dev.keyturn.core.lifecycle.UsageDecision;
import java.util.Objects;

/**
 * The product asked to raise usage of a limit past what the license allows, overage included
 * ({@link LicenseManager#requireIncrease}). Nothing was changed; the message is the sentence to
 * show the user.
 */
public final class UsageLimitException extends ClientException {
  private static final long serialVersionUID = 1L;

  /** The stable code for the product's own error responses and logs. */
  public static final String CODE = "USAGE_OVER_ALLOWANCE";

  private final transient UsageDecision decision;

  public UsageLimitException(UsageDecision decision) {
    super(Objects.requireNonNull(decision, "decision").message());
    this.decision = decision;
  }

  public UsageDecision decision() {
    return decision;
  }

  public String code() {
    return CODE;
  }
}
