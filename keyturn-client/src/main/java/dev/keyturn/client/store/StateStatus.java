package dev.keyturn.client.store;

/** What {@link StateStore#load()} found. Everything but OK and FRESH is worth an audit entry. */
public enum StateStatus {
  /** Read and its MAC verified. */
  OK,
  /** Neither a state file nor a secret: a state directory used for the first time. */
  FRESH,
  /** The secret is there, the state file is not: it was deleted. */
  MISSING,
  /** The state file is truncated, not JSON, or of an unknown version. */
  UNREADABLE,
  /**
   * The MAC does not match (edited by hand, or written with another secret), or the secret is gone.
   */
  FORGED,
  /** Signed correctly, but older than a state this process already wrote: a copy was put back. */
  REPLAYED
}
