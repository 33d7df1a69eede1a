package dev.keyturn.client.web;

import dev.keyturn.core.license.License;
import java.util.Optional;

/**
 * What a renewal request is pre-filled with: who the customer is to the vendor, and what they have
 * now. Every field is empty when no license is installed.
 *
 * @param customerReference the subscription id: the vendor's reference for this customer's contract
 */
record RenewalDetails(
    String customer,
    String customerReference,
    String licenseId,
    String tier,
    String expiresAt,
    String instanceDomain) {

  static RenewalDetails of(Optional<License> license) {
    return license
        .map(
            l ->
                new RenewalDetails(
                    l.customer(),
                    l.subscriptionId(),
                    l.id(),
                    l.tier(),
                    l.expiresAt().toString(),
                    l.instanceDomain().orElse("")))
        .orElse(new RenewalDetails("", "", "", "", "", ""));
  }
}
