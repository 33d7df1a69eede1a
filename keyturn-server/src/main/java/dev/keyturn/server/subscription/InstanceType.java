package dev.keyturn.server.subscription;

/** What the one instance of a subscription is used for. */
public enum InstanceType {
  /** Production. */
  PRIMARY,
  /** Development or test. */
  SECONDARY,
  /** The vendor's own. */
  INTERNAL
}
