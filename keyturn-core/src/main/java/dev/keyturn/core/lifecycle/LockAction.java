package dev.keyturn.core.lifecycle;

/**
 * What the end of grace is called. Both are enforced as {@link Mode#LOCKED}; self-serve
 * subscriptions are "suspended", appliances "locked".
 */
public enum LockAction {
  LOCK("locked"),
  SUSPEND("suspended");

  private final String pastTense;

  LockAction(String pastTense) {
    this.pastTense = pastTense;
  }

  public String pastTense() {
    return pastTense;
  }
}
