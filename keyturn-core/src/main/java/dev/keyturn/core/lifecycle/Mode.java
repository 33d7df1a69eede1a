package dev.keyturn.core.lifecycle;

/** What the product allows. LOCKED shows the lock screen and never touches the product's data. */
public enum Mode {
  FULL,
  READ_ONLY,
  LOCKED
}
