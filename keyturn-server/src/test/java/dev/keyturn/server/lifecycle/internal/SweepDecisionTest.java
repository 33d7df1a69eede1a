package dev.keyturn.server.lifecycle.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.license.GraceMode;
import dev.keyturn.core.lifecycle.BannerLevel;
import dev.keyturn.core.lifecycle.Dismissal;
import dev.keyturn.core.lifecycle.Phase;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.core.lifecycle.Recipient;
import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.delivery.Webhooks;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.lifecycle.internal.SweepDecision.Channel;
import dev.keyturn.server.lifecycle.internal.SweepDecision.Decision;
import dev.keyturn.server.lifecycle.internal.SweepDecision.Evaluation;
import dev.keyturn.server.lifecycle.internal.SweepDecision.Notice;
import dev.keyturn.server.lifecycle.internal.SweepDecision.NoticeKey;
import dev.keyturn.server.lifecycle.internal.SweepDecision.State;
import dev.keyturn.server.lifecycle.internal.SweepDecision.VendorAlert;
import dev.keyturn.server.lifecycle.internal.SweepDecision.VendorContacts;
import dev.keyturn.server.subscription.Subscription;
import dev.keyturn.server.support.Records;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The sweep's decision for a batch, from facts held in memory: no database, no Spring. */
class SweepDecisionTest {
  private static final Instant EXPIRES = Instant.parse("2027-03-01T12:00:00Z");
  private static final Duration DAY = Duration.ofDays(1);
  private static final VendorContacts NO_VENDOR = new VendorContacts(null, null);
  private static final VendorContacts VENDOR =
      new VendorContacts("accounts@vendor.example", "support@vendor.example");
  private static final Webhooks.Endpoint EXPIRING_HOOK =
      new Webhooks.Endpoint("whk_1", "https://hooks.example/k", List.of("license.expiring"));

  @Test
  void crossingD30MailsTheReminderOnlyAndWakesAtD15() {
    Instant now = EXPIRES.minus(Duration.ofDays(30)).plusSeconds(60);
    Subscription s = subscription("sub_a", null, false);
    Decision d = decide(s, license("lic_a", "sub_a", Policy.APPLIANCE), Set.of(), Map.of(), now);

    assertThat(d.events()).isEmpty();
    assertThat(d.due())
        .singleElement()
        .satisfies(due -> assertThat(due.stage().id()).isEqualTo("D-30"));
    assertThat(d.states())
        .containsExactly(
            new State("sub_a", EXPIRES.minus(Duration.ofDays(15)), "lic_a", Phase.EXPIRING));

    List<Notice> notices = SweepDecision.notices(d.due(), Set.of(), List.of(), VENDOR);
    assertThat(notices)
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.mail()).isTrue();
              assertThat(n.vendorAlerts()).isEmpty();
              assertThat(n.webhooks()).isEmpty();
              assertThat(n.renewalRequest()).isFalse();
            });
    assertThat(SweepDecision.claims(notices))
        .containsExactly(new NoticeKey("sub_a", "lic_a", "D-30", Channel.EMAIL));
  }

  @Test
  void dayOneClaimsMailWebhookAndRenewalRequest() {
    Instant now = EXPIRES.minus(DAY).plusSeconds(1);
    Decision d =
        decide(
            subscription("sub_b", "EXPIRING", false),
            license("lic_b", "sub_b", Policy.APPLIANCE),
            Set.of(new NoticeKey("sub_b", "lic_b", "D-7", Channel.EMAIL)),
            Map.of(),
            now);

    List<Notice> notices = SweepDecision.notices(d.due(), Set.of(), List.of(EXPIRING_HOOK), VENDOR);
    Notice n = notices.get(0);
    assertThat(n.stage().id()).isEqualTo("D-1");
    assertThat(n.webhooks())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.type()).isEqualTo("license.expiring");
              assertThat(w.data())
                  .containsEntry("stage", "D-1")
                  .containsEntry("license_id", "lic_b");
            });
    assertThat(n.renewalRequest()).isTrue();
    assertThat(SweepDecision.claims(notices))
        .extracting(NoticeKey::channel)
        .containsExactly(Channel.EMAIL, Channel.WEBHOOK, Channel.RENEWAL);
  }

  @Test
  void aChannelAlreadyRecordedIsNotClaimedAgain() {
    Instant now = EXPIRES.minus(DAY).plusSeconds(1);
    Decision d =
        decide(
            subscription("sub_c", "EXPIRING", false),
            license("lic_c", "sub_c", Policy.APPLIANCE),
            Set.of(),
            Map.of(),
            now);
    Set<NoticeKey> sent = Set.of(new NoticeKey("sub_c", "lic_c", "D-1", Channel.RENEWAL));

    List<Notice> notices = SweepDecision.notices(d.due(), sent, List.of(), NO_VENDOR);

    assertThat(notices.get(0).renewalRequest()).isFalse();
    assertThat(SweepDecision.claims(notices))
        .containsExactly(new NoticeKey("sub_c", "lic_c", "D-1", Channel.EMAIL));
  }

  @Test
  void afterDowntimeOnlyTheMostUrgentStageIsNoticed() {
    Instant now = EXPIRES.plus(Duration.ofHours(3));
    Decision d =
        decide(
            subscription("sub_d", "ACTIVE", false),
            license("lic_d", "sub_d", Policy.APPLIANCE),
            Set.of(),
            Map.of(),
            now);

    assertThat(d.due())
        .singleElement()
        .satisfies(due -> assertThat(due.stage().id()).isEqualTo("EXPIRY"));
    assertThat(d.events())
        .extracting(EventLog.Entry::type)
        .containsExactly("license.expired", "license.grace_started");
    assertThat(d.states().get(0).phase()).isEqualTo(Phase.GRACE);
  }

  @Test
  void theThirdGraceEntryInAYearAsksForPaymentUpFront() {
    Instant now = EXPIRES.plusSeconds(10);
    Subscription s = subscription("sub_e", "EXPIRING", false);
    Decision d =
        decide(s, license("lic_e", "sub_e", Policy.APPLIANCE), Set.of(), Map.of("sub_e", 2L), now);

    assertThat(d.upfront()).containsExactly("sub_e");
    assertThat(d.events())
        .extracting(EventLog.Entry::type)
        .containsExactly(
            "license.expired", "license.grace_started", "subscription.upfront_payment_required");
    assertThat(d.events().get(2).metadata()).isEqualTo(Map.of("grace_entries_last_12_months", 3L));

    Subscription already = subscription("sub_e", "EXPIRING", true);
    assertThat(
            decide(
                    already,
                    license("lic_e", "sub_e", Policy.APPLIANCE),
                    Set.of(),
                    Map.of("sub_e", 2L),
                    now)
                .upfront())
        .isEmpty();
  }

  @Test
  void lockingSuspendsOrLocksAsThePolicySays() {
    Instant subscriptionLock = EXPIRES.plus(Duration.ofDays(7)).plusSeconds(5);
    Decision suspended =
        decide(
            subscription("sub_f", "GRACE", false),
            license("lic_f", "sub_f", Policy.SUBSCRIPTION),
            Set.of(),
            Map.of(),
            subscriptionLock);
    assertThat(suspended.events())
        .extracting(EventLog.Entry::type)
        .containsExactly("subscription.suspended");
    assertThat(suspended.states().get(0).next()).isNull();

    Instant applianceLock = EXPIRES.plus(Duration.ofDays(60)).plusSeconds(5);
    Decision locked =
        decide(
            subscription("sub_g", "GRACE", false),
            license("lic_g", "sub_g", Policy.APPLIANCE),
            Set.of(),
            Map.of(),
            applianceLock);
    assertThat(locked.events()).extracting(EventLog.Entry::type).containsExactly("license.locked");
  }

  @Test
  void aNewLicenseReactivatesASubscriptionInGrace() {
    Instant now = EXPIRES.minus(Duration.ofDays(100));
    Decision d =
        decide(
            subscription("sub_h", "GRACE", false),
            license("lic_h", "sub_h", Policy.APPLIANCE),
            Set.of(),
            Map.of(),
            now);
    assertThat(d.events())
        .extracting(EventLog.Entry::type)
        .containsExactly("subscription.reactivated");
    assertThat(d.due()).isEmpty();
    assertThat(d.states().get(0).phase()).isEqualTo(Phase.ACTIVE);
  }

  @Test
  void theVendorHearsAtD15AndD7WhenItHasAddresses() {
    Instant d15 = EXPIRES.minus(Duration.ofDays(15)).plusSeconds(1);
    Decision d =
        decide(
            subscription("sub_i", "EXPIRING", false),
            license("lic_i", "sub_i", Policy.APPLIANCE),
            Set.of(new NoticeKey("sub_i", "lic_i", "D-30", Channel.EMAIL)),
            Map.of(),
            d15);
    assertThat(SweepDecision.notices(d.due(), Set.of(), List.of(), VENDOR).get(0).vendorAlerts())
        .containsExactly(new VendorAlert("accounts@vendor.example", "Renewal due in 15 days"));
    assertThat(SweepDecision.notices(d.due(), Set.of(), List.of(), NO_VENDOR).get(0).vendorAlerts())
        .isEmpty();

    Instant d7 = EXPIRES.minus(Duration.ofDays(7)).plusSeconds(1);
    Decision seven =
        decide(
            subscription("sub_i", "EXPIRING", false),
            license("lic_i", "sub_i", Policy.APPLIANCE),
            Set.of(new NoticeKey("sub_i", "lic_i", "D-15", Channel.EMAIL)),
            Map.of(),
            d7);
    assertThat(
            SweepDecision.notices(seven.due(), Set.of(), List.of(), VENDOR).get(0).vendorAlerts())
        .containsExactly(new VendorAlert("support@vendor.example", "License expires in 7 days"));
  }

  @Test
  void withoutAUsableLicenseOnlyTheStateMovesToTheNextLicenseStart() {
    Instant now = EXPIRES.minus(Duration.ofDays(200));
    Instant start = now.plus(Duration.ofDays(3));
    Subscription s = subscription("sub_j", null, false);
    Evaluation batch =
        SweepDecision.evaluate(
            List.of("sub_j", "sub_gone"),
            Map.of("sub_j", s),
            Map.of(),
            Map.of("sub_j", start),
            now);
    Decision d = SweepDecision.decide(batch, Map.of(), Set.of(), Map.of("sub_j", start), now);

    assertThat(batch.steps()).isEmpty();
    assertThat(d.states()).containsExactly(new State("sub_j", start, null, null));
    assertThat(d.events()).isEmpty();
    assertThat(d.due()).isEmpty();
  }

  /** A partner tier's policy (issue 21): D-15 only to the account team and webhooks. */
  private static final Policy PARTNER =
      Policy.builder("partner")
          .reminder(30, BannerLevel.INFO, Dismissal.UNTIL_NEXT_STAGE, Set.of(Recipient.CUSTOMER))
          .reminder(
              15,
              BannerLevel.WARNING,
              Dismissal.FOR_24H,
              EnumSet.of(Recipient.ACCOUNT_TEAM, Recipient.WEBHOOK))
          .reminder(3, BannerLevel.DANGER, Dismissal.NOT_DISMISSIBLE, Set.of())
          .grace(90, GraceMode.READ_ONLY)
          .expiryNotify(EnumSet.of(Recipient.SUPPORT, Recipient.RENEWAL_REQUEST))
          .build();

  @Test
  void aCustomStageTellsOnlyItsRecipientsAndIsSettledOnce() {
    Instant d15 = EXPIRES.minus(Duration.ofDays(15)).plusSeconds(60);
    Subscription s = subscription("sub_p", "EXPIRING", false);
    LicenseRecord lic = license("lic_p", "sub_p", PARTNER);
    Set<NoticeKey> sent =
        new HashSet<>(Set.of(new NoticeKey("sub_p", "lic_p", "D-30", Channel.EMAIL)));
    Decision d = decide(s, lic, sent, Map.of(), d15);

    List<Notice> notices = SweepDecision.notices(d.due(), sent, List.of(EXPIRING_HOOK), VENDOR);

    assertThat(notices)
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.stage().id()).isEqualTo("D-15");
              assertThat(n.mail()).as("the mail row settles the stage").isTrue();
              assertThat(n.customerMail()).isFalse();
              assertThat(n.vendorAlerts())
                  .containsExactly(
                      new VendorAlert("accounts@vendor.example", "Renewal due in 15 days"));
              assertThat(n.webhooks())
                  .extracting(w -> w.type())
                  .containsExactly("license.expiring");
              assertThat(n.renewalRequest()).isFalse();
            });
    sent.addAll(SweepDecision.claims(notices));
    assertThat(decide(s, lic, sent, Map.of(), d15.plusSeconds(3600)).due()).isEmpty();

    // D-3 tells nobody: only the banner changes, and nothing is due or claimed.
    Instant d3 = EXPIRES.minus(Duration.ofDays(3)).plusSeconds(60);
    assertThat(decide(s, lic, sent, Map.of(), d3).due()).isEmpty();

    // Expiry: support and a renewal request, not the customer.
    Decision expired =
        decide(
            subscription("sub_p", "EXPIRING", false), lic, sent, Map.of(), EXPIRES.plusSeconds(5));
    assertThat(SweepDecision.notices(expired.due(), sent, List.of(), VENDOR))
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.customerMail()).isFalse();
              assertThat(n.vendorAlerts())
                  .containsExactly(new VendorAlert("support@vendor.example", "License expired"));
              assertThat(n.renewalRequest()).isTrue();
            });
  }

  private static Decision decide(
      Subscription s,
      LicenseRecord license,
      Set<NoticeKey> sent,
      Map<String, Long> graceEntries,
      Instant now) {
    Evaluation batch =
        SweepDecision.evaluate(
            List.of(s.id()), Map.of(s.id(), s), Map.of(s.id(), license), Map.of(), now);
    Map<String, Long> counted = new java.util.HashMap<>();
    for (String id : batch.enteringGrace()) {
      counted.put(id, graceEntries.getOrDefault(id, 0L));
    }
    return SweepDecision.decide(batch, counted, new HashSet<>(sent), Map.of(), now);
  }

  private static Subscription subscription(String id, String phase, boolean upfront) {
    return Records.subscription(id, "Acme", phase, upfront);
  }

  private static LicenseRecord license(String id, String subscriptionId, Policy policy) {
    return Records.license(id, subscriptionId, policy, EXPIRES);
  }
}
