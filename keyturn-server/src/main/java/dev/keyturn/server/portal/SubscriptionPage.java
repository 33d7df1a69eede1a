package dev.keyturn.server.portal;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One subscription as its contact sees it in the portal.
 *
 * @param current the license the product should run now, with its standing
 * @param previous every other license of the subscription, newest first
 * @param billingLink the Billing Portal link, when Stripe is set up for this subscription
 * @param openRenewalSince when the portal's open renewal request was sent, if one is open
 */
record SubscriptionPage(
    String id,
    String name,
    String tier,
    long seats,
    Map<String, Long> limits,
    List<String> features,
    Instance instance,
    Optional<LicenseRow> current,
    Optional<StandingView> standing,
    List<LicenseRow> previous,
    Payment payment,
    Optional<String> billingLink,
    List<ContactRow> contacts,
    Optional<String> openRenewalSince) {

  /**
   * @param domain the instance domain the licenses name, if any
   * @param boundInstanceId the installation that checked in first, the only one that may
   */
  record Instance(String domain, String type, String boundInstanceId, String lastCheckIn) {}

  /**
   * @param state "current", "expired", "revoked", "not yet valid" or "replaced"
   */
  record LicenseRow(
      String id, String validFrom, String expiresAt, String tier, long seats, String state) {}

  record Payment(
      boolean failing,
      String failingSince,
      String paidThrough,
      String cycle,
      boolean autoRenew,
      boolean online) {}

  /**
   * @param role "admin" (reminders) or "billing" (payments; reminders too)
   */
  record ContactRow(String email, String role, boolean mutedEarlyReminders) {}
}
