package dev.keyturn.core.lifecycle;

/** What closing a banner does, in order of insistence. */
public enum Dismissal {
  /** No banner to dismiss. */
  NONE,
  /** Hidden until the next stage starts. */
  UNTIL_NEXT_STAGE,
  /** Hidden for 24 hours, then shown again. */
  FOR_24H,
  /** Collapses to a red pill in the header with a countdown; never gone. */
  TO_PILL,
  /** No close control. */
  NOT_DISMISSIBLE
}
