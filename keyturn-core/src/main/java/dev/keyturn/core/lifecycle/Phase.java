package dev.keyturn.core.lifecycle;

/** Where a license is in its life. From ACTIVE on, declared in order of severity. */
public enum Phase {
  NOT_YET_VALID,
  ACTIVE,
  EXPIRING,
  GRACE,
  LOCKED
}
