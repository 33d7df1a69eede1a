package dev.keyturn.server.lifecycle.internal;

import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.config.AutomationProperties;
import dev.keyturn.server.delivery.Outbox;
import dev.keyturn.server.delivery.Webhooks;
import dev.keyturn.server.jdbc.Ids;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.license.Licenses;
import dev.keyturn.server.lifecycle.Sweep;
import dev.keyturn.server.lifecycle.internal.SweepDecision.Decision;
import dev.keyturn.server.lifecycle.internal.SweepDecision.Due;
import dev.keyturn.server.lifecycle.internal.SweepDecision.Evaluation;
import dev.keyturn.server.lifecycle.internal.SweepDecision.Notice;
import dev.keyturn.server.lifecycle.internal.SweepDecision.NoticeKey;
import dev.keyturn.server.lifecycle.internal.SweepDecision.VendorAlert;
import dev.keyturn.server.lifecycle.internal.SweepDecision.VendorContacts;
import dev.keyturn.server.lifecycle.internal.SweepDecision.WebhookEvent;
import dev.keyturn.server.notify.Notifier;
import dev.keyturn.server.renewal.RenewalRequests;
import dev.keyturn.server.subscription.ContactPreferences;
import dev.keyturn.server.subscription.Subscription;
import dev.keyturn.server.subscription.Subscriptions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Brings a batch of subscriptions up to date at one instant, set by set: a handful of queries read
 * the whole batch's facts (subscriptions, current licenses, notices sent, grace entries, mutes),
 * {@link SweepDecision} decides in memory, and the writes go back as multi-row inserts and JDBC
 * batches (notice claims, outbox rows, events, renewal requests, the subscriptions' new state). A
 * batch so costs a few round trips however many subscriptions it holds. The caller holds the
 * subscriptions' row locks; the unique (subscription, license, stage, channel) key of {@code
 * notices} is the last line of defence.
 */
@Component
public class Transitions {
  private final Clock clock;
  private final SweepStore store;
  private final Subscriptions subscriptions;
  private final Licenses licenses;
  private final EventLog events;
  private final Notifier notifier;
  private final Webhooks webhooks;
  private final Outbox outbox;
  private final ContactPreferences preferences;
  private final RenewalRequests renewals;
  private final VendorContacts vendor;

  Transitions(
      Clock clock,
      SweepStore store,
      Subscriptions subscriptions,
      Licenses licenses,
      EventLog events,
      Notifier notifier,
      Webhooks webhooks,
      Outbox outbox,
      ContactPreferences preferences,
      RenewalRequests renewals,
      AutomationProperties settings) {
    this.clock = clock;
    this.store = store;
    this.subscriptions = subscriptions;
    this.licenses = licenses;
    this.events = events;
    this.notifier = notifier;
    this.webhooks = webhooks;
    this.outbox = outbox;
    this.preferences = preferences;
    this.renewals = renewals;
    this.vendor =
        new VendorContacts(
            settings.notifications().accountTeam(), settings.notifications().support());
  }

  /**
   * Applies phase changes as events and sends at most one notice per subscription: the most urgent
   * stage crossed and not yet notified.
   */
  public void apply(List<String> ids, Instant now) {
    apply(ids, subscriptions.findAll(ids), now);
  }

  /** {@link #apply(List, Instant)} for subscriptions already read (and locked) by the caller. */
  public void applyTo(List<Subscription> due, Instant now) {
    Map<String, Subscription> rows = new LinkedHashMap<>();
    due.forEach(s -> rows.put(s.id(), s));
    apply(List.copyOf(rows.keySet()), rows, now);
  }

  private void apply(List<String> ids, Map<String, Subscription> rows, Instant now) {
    if (ids.isEmpty()) {
      return;
    }
    Map<String, LicenseRecord> current = licenses.newestUsableWithoutText(ids, now);
    Map<String, Instant> starts = store.nextNotBefore(ids, now);
    Set<NoticeKey> sent = store.notices(ids);
    Evaluation batch = SweepDecision.evaluate(ids, rows, current, starts, now);
    Map<String, Long> graceEntries = store.graceEntries(batch.enteringGrace(), now);
    Decision decision = SweepDecision.decide(batch, graceEntries, sent, starts, now);

    List<EventLog.Entry> eventRows = new ArrayList<>(decision.events());
    List<Outbox.Entry> outboxRows = new ArrayList<>();
    List<RenewalRequests.Automatic> renewalRows = new ArrayList<>();
    if (!decision.due().isEmpty()) {
      List<Webhooks.Endpoint> endpoints = webhooks.endpoints();
      List<Notice> notices = SweepDecision.notices(decision.due(), sent, endpoints, vendor);
      store.claim(SweepDecision.claims(notices));
      Map<String, Set<String>> muted =
          preferences.mutedEarlyReminders(
              decision.due().stream().map((Due d) -> d.step().s().id()).toList());
      for (Notice n : notices) {
        send(n, muted, endpoints, eventRows, outboxRows, renewalRows);
      }
    }

    events.recordAll(eventRows);
    outbox.enqueue(outboxRows);
    renewals.openAutomatic(renewalRows);
    subscriptions.requireUpfrontPayment(decision.upfront());
    store.saveStates(decision.states());
  }

  /** Composes what a claimed notice announces: mails, webhooks, the renewal request. */
  private void send(
      Notice n,
      Map<String, Set<String>> muted,
      List<Webhooks.Endpoint> endpoints,
      List<EventLog.Entry> eventRows,
      List<Outbox.Entry> outboxRows,
      List<RenewalRequests.Automatic> renewalRows) {
    Subscription s = n.step().s();
    LicenseRecord license = n.step().license();
    if (n.customerMail()) {
      notifier.stage(
          s,
          license,
          n.stage(),
          n.step().standing(),
          muted.getOrDefault(s.id(), Set.of()),
          outboxRows);
    }
    if (n.mail()) {
      for (VendorAlert alert : n.vendorAlerts()) {
        notifier.vendor(
            s, license, n.stage(), n.step().standing(), alert.to(), alert.headline(), outboxRows);
      }
    }
    for (WebhookEvent e : n.webhooks()) {
      outboxRows.addAll(webhooks.entries(endpoints, e.type(), s.id(), e.data()));
    }
    if (n.renewalRequest()) {
      // The stage asks for a renewal request on the vendor side (the presets: D-1, design §4).
      String id = Ids.next("rnw", clock);
      renewalRows.add(
          new RenewalRequests.Automatic(id, s.id(), license.id(), clock.instant(), Sweep.ACTOR));
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("renewal_request_id", id);
      data.put("license_id", license.id());
      data.put("expires_at", license.expiresAt().toString());
      data.put("source", "AUTOMATIC");
      eventRows.add(
          new EventLog.Entry("renewal.requested", Sweep.ACTOR, s.id(), license.id(), data));
      outboxRows.addAll(webhooks.entries(endpoints, "renewal.requested", s.id(), data));
    }
  }
}
