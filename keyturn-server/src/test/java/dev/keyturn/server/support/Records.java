package dev.keyturn.server.support;

import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.policy.PolicyCodec;
import dev.keyturn.server.subscription.Contacts;
import dev.keyturn.server.subscription.CustomerType;
import dev.keyturn.server.subscription.Subscription;
import dev.keyturn.server.subscription.SubscriptionFields;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Rows as the server reads them, for tests of code that decides or composes without a database. */
public final class Records {
  private Records() {}

  /** A customer's subscription of a year, with an admin and a billing contact. */
  public static Subscription subscription(
      String id, String displayName, String lifecyclePhase, boolean requiresUpfrontPayment) {
    SubscriptionFields fields =
        new SubscriptionFields(
            displayName,
            CustomerType.CUSTOMER,
            "crm-1",
            null,
            "tools.acme.example",
            null,
            new Contacts(List.of("admin@acme.example"), List.of("billing@acme.example")),
            null,
            null,
            "cus_1",
            null,
            null,
            null,
            "appliance",
            "medium",
            null,
            Map.of(),
            List.of(),
            null);
    Instant created = Instant.parse("2025-01-01T00:00:00Z");
    return new Subscription(
        id,
        fields,
        null,
        null,
        null,
        null,
        created,
        created,
        null,
        null,
        null,
        requiresUpfrontPayment,
        lifecyclePhase,
        null,
        Map.of());
  }

  /** A license of a year up to {@code expiresAt} under {@code policy}, not revoked. */
  public static LicenseRecord license(
      String id, String subscriptionId, Policy policy, Instant expiresAt) {
    Instant notBefore = expiresAt.minus(Duration.ofDays(365));
    return new LicenseRecord(
        id,
        subscriptionId,
        "2026-a",
        "[license]",
        "Acme Corp",
        "medium",
        0,
        List.of(),
        policy.name(),
        policy.graceDays(),
        policy.graceMode().tomlName(),
        policy.toLicensePolicy().isCustom() ? PolicyCodec.encode(policy) : null,
        null,
        notBefore,
        notBefore,
        expiresAt.minus(Duration.ofDays(30)),
        expiresAt,
        expiresAt.plus(policy.gracePeriod()),
        "test",
        null,
        null,
        null);
  }
}
