package dev.keyturn.core.lifecycle;

/**
 * How loud the banner is, in order of severity: blue info, orange warning, red danger, full-screen
 * lock.
 */
public enum BannerLevel {
  NONE,
  INFO,
  WARNING,
  DANGER,
  LOCK
}
