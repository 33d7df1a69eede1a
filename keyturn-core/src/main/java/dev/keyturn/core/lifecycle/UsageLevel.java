package dev.keyturn.core.lifecycle;

/** Where usage of one limit stands against the license, in order of severity. */
public enum UsageLevel {
  /** At or below the limit (or the license sets no limit): nothing to show. */
  WITHIN,
  /** Above the limit, within its overage allowance: a warning banner; nothing is refused. */
  OVER_LIMIT,
  /**
   * Above the allowance (or above the limit when there is none): a banner, and the product refuses
   * what would raise usage further. It never locks and never removes anything.
   */
  OVER_ALLOWANCE
}
