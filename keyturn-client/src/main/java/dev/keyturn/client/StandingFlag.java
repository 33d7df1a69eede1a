package dev.keyturn.client;

/** Conditions the client adds to the lifecycle standing. Stable names: they appear in JSON too. */
public enum StandingFlag {
  /** No license is installed: the product is locked until one is. */
  NO_LICENSE,
  /** The vendor's server revoked the license in force: locked until another is installed. */
  REVOKED,
  /**
   * The clock is behind the high-water mark by more than the tolerance; licensing uses the mark.
   */
  CLOCK_ROLLBACK,
  /** The server said a renewal is waiting for a payment retry. */
  PAYMENT_FAILING,
  /** The server said another instance holds this license. */
  INSTANCE_CONFLICT,
  /**
   * The state file was missing, unreadable or forged when this process started; it was rebuilt from
   * the evidence at hand (installed licenses, audit log) and the event was audited.
   */
  STATE_RESET,
  /**
   * Usage of a limit is above the license's value but within its overage allowance: a warning
   * naming the limit, usage and allowance; nothing is refused.
   */
  USAGE_OVER_LIMIT,
  /**
   * Usage of a limit is above its allowance (or above the limit when there is none): the product
   * refuses what would raise it further ({@link LicenseManager#requireIncrease}); nothing locks.
   */
  USAGE_OVER_ALLOWANCE
}
