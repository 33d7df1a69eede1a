package dev.keyturn.core.lifecycle;

import java.util.Arrays;
import java.util.Optional;

/**
 * Who the server tells when a license crosses a stage. The order is the order a license file lists
 * them in ({@code docs/license-format.md}); the client ignores them, the sweep routes by them.
 */
public enum Recipient {
  /** The subscription's admin and billing contacts, by mail. */
  CUSTOMER("customer"),
  /** The vendor's account team (KEYTURN_NOTIFICATIONS_ACCOUNTTEAM), by mail. */
  ACCOUNT_TEAM("account-team"),
  /** The vendor's support (KEYTURN_NOTIFICATIONS_SUPPORT), by mail. */
  SUPPORT("support"),
  /** A renewal request opens in the vendor's queue. */
  RENEWAL_REQUEST("renewal-request"),
  /** The webhook endpoints that listen to the stage's events. */
  WEBHOOK("webhook");

  private final String tomlName;

  Recipient(String tomlName) {
    this.tomlName = tomlName;
  }

  /** The spelling in license files and the policy API. */
  public String tomlName() {
    return tomlName;
  }

  public static Optional<Recipient> fromTomlName(String name) {
    return Arrays.stream(values()).filter(r -> r.tomlName.equals(name)).findFirst();
  }
}
