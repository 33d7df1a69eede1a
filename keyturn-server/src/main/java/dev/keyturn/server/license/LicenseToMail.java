package dev.keyturn.server.license;

import dev.keyturn.server.subscription.Subscription;

/**
 * Published inside the issuing transaction when the license is to be mailed to the subscription's
 * contacts; notify composes and queues the mail before the transaction commits, so the mail exists
 * exactly when the license does.
 */
public record LicenseToMail(Subscription subscription, LicenseRecord license, boolean renewed) {}
