package dev.keyturn.server.portal;

import dev.keyturn.server.billing.PortalLinks;
import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.license.LicenseQuery;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.license.Licenses;
import dev.keyturn.server.subscription.ContactPreferences;
import dev.keyturn.server.subscription.Subscription;
import dev.keyturn.server.subscription.SubscriptionFields;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Builds what the portal's pages show, from the same data and engine as the rest of the server. */
@Component
class PortalPages {
  private static final int MAX_LICENSES = 200;

  private final Licenses licenses;
  private final JdbcClient jdbc;
  private final Clock clock;
  private final PortalLinks billingLinks;
  private final ContactPreferences preferences;

  PortalPages(
      Licenses licenses,
      JdbcClient jdbc,
      Clock clock,
      PortalLinks billingLinks,
      ContactPreferences preferences) {
    this.licenses = licenses;
    this.jdbc = jdbc;
    this.clock = clock;
    this.billingLinks = billingLinks;
    this.preferences = preferences;
  }

  /** A line of the "your subscriptions" list. */
  record Summary(String id, String name, String tier, Optional<StandingView> standing) {}

  List<Summary> summaries(List<Subscription> subscriptions, ZoneId zone) {
    Instant now = clock.instant();
    return subscriptions.stream()
        .map(
            s ->
                new Summary(
                    s.id(),
                    s.fields().displayName(),
                    s.fields().tier(),
                    licenses.newestUsable(s.id(), now).map(l -> StandingView.of(l, now, zone))))
        .toList();
  }

  SubscriptionPage page(Subscription s, ZoneId zone) {
    Instant now = clock.instant();
    SubscriptionFields f = s.fields();
    Optional<LicenseRecord> current = licenses.newestUsable(s.id(), now);
    List<SubscriptionPage.LicenseRow> previous = new ArrayList<>();
    for (LicenseRecord l : all(s.id(), now)) {
      if (current.isEmpty() || !current.get().id().equals(l.id())) {
        previous.add(row(l, now, zone, false));
      }
    }
    return new SubscriptionPage(
        s.id(),
        f.displayName(),
        f.tier(),
        f.seats(),
        f.limits(),
        f.features(),
        new SubscriptionPage.Instance(
            f.instanceDomain(),
            f.instanceType().name().toLowerCase(Locale.ROOT),
            s.boundInstanceId(),
            s.lastCheckInAt() == null ? null : StandingView.format(s.lastCheckInAt(), zone)),
        current.map(l -> row(l, now, zone, true)),
        current.map(l -> StandingView.of(l, now, zone)),
        previous,
        payment(s, zone),
        billingLinks.link(s),
        contacts(s),
        openRenewalSince(s.id(), zone));
  }

  /** The license of the subscription, or empty: another subscription's is "not found". */
  Optional<LicenseRecord> license(Subscription s, String licenseId) {
    return licenses.find(licenseId).filter(l -> l.subscriptionId().equals(s.id()));
  }

  Optional<LicenseRecord> current(Subscription s) {
    return licenses.newestUsable(s.id(), clock.instant());
  }

  Optional<String> billingLink(Subscription s) {
    return billingLinks.link(s);
  }

  private List<LicenseRecord> all(String subscriptionId, Instant now) {
    return licenses.search(
        new LicenseQuery(
            subscriptionId,
            null,
            null,
            null,
            null,
            null,
            LicenseQuery.Sort.ISSUED_AT_DESC,
            MAX_LICENSES,
            0),
        now);
  }

  private static SubscriptionPage.LicenseRow row(
      LicenseRecord l, Instant now, ZoneId zone, boolean current) {
    String state;
    if (l.revoked()) {
      state = "revoked";
    } else if (current) {
      state = "current";
    } else if (now.isBefore(l.notBefore())) {
      state = "not yet valid";
    } else if (!now.isBefore(l.expiresAt())) {
      state = "expired";
    } else {
      state = "replaced";
    }
    return new SubscriptionPage.LicenseRow(
        l.id(),
        StandingView.format(l.notBefore(), zone),
        StandingView.format(l.expiresAt(), zone),
        l.tier(),
        l.seats(),
        state);
  }

  private SubscriptionPage.Payment payment(Subscription s, ZoneId zone) {
    Instant failingSince =
        jdbc.sql("select payment_failing_since from subscriptions where id = ?")
            .param(s.id())
            .query((rs, n) -> Db.instant(rs, "payment_failing_since"))
            .optional()
            .orElse(null);
    SubscriptionFields f = s.fields();
    return new SubscriptionPage.Payment(
        failingSince != null,
        failingSince == null ? null : StandingView.format(failingSince, zone),
        f.paidThrough() == null ? null : StandingView.format(f.paidThrough(), zone),
        f.billingCycle().name().toLowerCase(Locale.ROOT),
        Boolean.TRUE.equals(f.autoRenew()),
        f.stripeCustomerId() != null);
  }

  private List<SubscriptionPage.ContactRow> contacts(Subscription s) {
    Set<String> muted = preferences.mutedEarlyReminders(s.id());
    Set<String> seen = new LinkedHashSet<>();
    List<SubscriptionPage.ContactRow> rows = new ArrayList<>();
    for (String e : s.fields().contacts().adminEmails()) {
      if (seen.add(e.toLowerCase(Locale.ROOT))) {
        rows.add(new SubscriptionPage.ContactRow(e, "admin", muted.contains(e)));
      }
    }
    for (String e : s.fields().contacts().billingEmails()) {
      if (seen.add(e.toLowerCase(Locale.ROOT))) {
        rows.add(new SubscriptionPage.ContactRow(e, "billing", muted.contains(e)));
      }
    }
    return rows;
  }

  private Optional<String> openRenewalSince(String subscriptionId, ZoneId zone) {
    return jdbc.sql(
            "select created_at from renewal_requests where subscription_id = ? and state = 'OPEN'"
                + " and source = ? order by created_at desc limit 1")
        .params(subscriptionId, PortalActions.SOURCE)
        .query((rs, n) -> Db.instant(rs, "created_at"))
        .optional()
        .map(at -> StandingView.format(at, zone));
  }
}
