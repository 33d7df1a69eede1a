package dev.keyturn.server.lifecycle.internal;

import dev.keyturn.core.lifecycle.Lifecycle;
import dev.keyturn.core.lifecycle.LockAction;
import dev.keyturn.core.lifecycle.Phase;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.core.lifecycle.Recipient;
import dev.keyturn.core.lifecycle.Stage;
import dev.keyturn.core.lifecycle.Standing;
import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.delivery.Webhooks;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.lifecycle.Sweep;
import dev.keyturn.server.subscription.Subscription;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the sweep decides for one batch, without a database: the batch's facts in (its
 * subscriptions, their current licenses, the notices already sent, grace entries, webhook
 * endpoints), what to write out (events, the notices to send and on which channels, the
 * subscriptions that now pay up front, each subscription's next sweep state). {@link Transitions}
 * reads the facts and writes the result; {@code SweepDecisionTest} tests this alone.
 *
 * <p>It runs in two steps because two of the facts are read only for some subscriptions: {@link
 * #evaluate} tells which enter grace (their grace entries are counted), {@link #decide} tells which
 * notices are due (the webhook endpoints are read only when some are).
 */
final class SweepDecision {
  /** The third grace entry in twelve months asks for payment up front from then on. */
  static final int GRACE_ENTRIES_FOR_UPFRONT_PAYMENT = 3;

  private SweepDecision() {}

  /** The channels a notice is claimed on; {@link #column} is what {@code notices} stores. */
  enum Channel {
    EMAIL("email"),
    WEBHOOK("webhook"),
    RENEWAL("renewal");

    final String column;

    Channel(String column) {
      this.column = column;
    }

    /** The channel stored as {@code column}; null for one this server does not know. */
    static Channel of(String column) {
      for (Channel c : values()) {
        if (c.column.equals(column)) {
          return c;
        }
      }
      return null;
    }
  }

  /** One notice on one channel: the unique key of {@code notices}. */
  record NoticeKey(String subscriptionId, String licenseId, String stage, Channel channel) {}

  /** One subscription with a usable license, evaluated at the batch's instant. */
  record Step(Subscription s, LicenseRecord license, Policy policy, Standing standing) {
    Phase previous() {
      return s.lifecyclePhase() == null ? Phase.ACTIVE : Phase.valueOf(s.lifecyclePhase());
    }

    boolean entersGrace() {
      return previous().compareTo(Phase.GRACE) < 0 && standing.phase().compareTo(Phase.GRACE) >= 0;
    }
  }

  /** A subscription's sweep state after the batch ({@code subscription_lifecycle}). */
  record State(String subscriptionId, Instant next, String licenseId, Phase phase) {}

  /**
   * The batch at its instant: the subscriptions with a usable license, and the sweep states so far.
   */
  record Evaluation(List<Step> steps, List<State> states) {
    List<String> enteringGrace() {
      List<String> ids = new ArrayList<>();
      for (Step step : steps) {
        if (step.entersGrace()) {
          ids.add(step.s().id());
        }
      }
      return ids;
    }
  }

  /** The notice due for a subscription: the most urgent stage crossed and not yet mailed. */
  record Due(Step step, Stage stage) {}

  /** Everything but the notices' channels, which {@link #notices} adds. */
  record Decision(
      List<EventLog.Entry> events, List<String> upfront, List<State> states, List<Due> due) {}

  /** A vendor alert that goes with a customer's reminder. */
  record VendorAlert(String to, String headline) {}

  /** A webhook event a notice announces, with its data. */
  record WebhookEvent(String type, Map<String, Object> data) {}

  /**
   * A due notice and the channels to send it on now (those not recorded yet), routed by the stage's
   * recipients in the license's policy.
   *
   * @param mail whether the mail channel is claimed now: it settles the stage (the notice rule
   *     reads it), even when the policy sends that stage no mail
   * @param customerMail whether the customer's contacts are mailed (with {@code mail})
   * @param webhooks the events to publish, when the webhook channel is claimed; else empty
   */
  record Notice(
      Step step,
      Stage stage,
      boolean mail,
      boolean customerMail,
      List<VendorAlert> vendorAlerts,
      List<WebhookEvent> webhooks,
      boolean renewalRequest) {}

  /** The vendor's own addresses for alerts, each null when not set. */
  record VendorContacts(String accountTeam, String support) {}

  /**
   * Evaluates each subscription of the batch at {@code now}. One that is gone, archived or without
   * a usable license only keeps its state up to date (the next license start, if any).
   */
  static Evaluation evaluate(
      List<String> ids,
      Map<String, Subscription> rows,
      Map<String, LicenseRecord> current,
      Map<String, Instant> starts,
      Instant now) {
    List<Step> steps = new ArrayList<>();
    List<State> states = new ArrayList<>();
    for (String id : ids) {
      Subscription s = rows.get(id);
      if (s == null) {
        continue;
      }
      LicenseRecord license = current.get(id);
      if (s.archived() || license == null) {
        states.add(new State(id, starts.get(id), null, null));
        continue;
      }
      Policy policy = license.policy();
      Standing standing =
          Lifecycle.evaluate(license.notBefore(), license.expiresAt(), now, policy, ZoneOffset.UTC);
      steps.add(new Step(s, license, policy, standing));
    }
    return new Evaluation(steps, states);
  }

  /**
   * Phase changes as events, and at most one notice per subscription: the most urgent stage crossed
   * and not yet mailed ({@link Lifecycle#noticeDue}).
   *
   * @param graceEntries per subscription entering grace, its grace entries in the trailing year
   *     before this one
   */
  static Decision decide(
      Evaluation batch,
      Map<String, Long> graceEntries,
      Set<NoticeKey> sent,
      Map<String, Instant> starts,
      Instant now) {
    List<EventLog.Entry> events = new ArrayList<>();
    List<String> upfront = new ArrayList<>();
    List<State> states = new ArrayList<>(batch.states());
    List<Due> due = new ArrayList<>();
    for (Step step : batch.steps()) {
      phaseEvents(step, graceEntries, events, upfront);
      String id = step.s().id();
      Lifecycle.noticeDue(
              step.policy(),
              step.license().expiresAt(),
              lastNotified(sent, id, step.license().id(), step.policy()),
              now)
          .ifPresent(stage -> due.add(new Due(step, stage)));
      Instant next = step.standing().nextTransitionAt().orElse(null);
      Instant pending = starts.get(id);
      if (pending != null && (next == null || pending.isBefore(next))) {
        next = pending;
      }
      states.add(new State(id, next, step.license().id(), step.standing().phase()));
    }
    return new Decision(events, upfront, states, due);
  }

  /**
   * The channels of each due notice not recorded yet, as the stage's recipients in the license's
   * policy say: the mail (the customer's contacts, and the vendor's account team and support
   * alerts), the webhook when the stage tells webhooks and an endpoint listens to its events
   * (nothing to claim otherwise: the stage is settled by its mail row either way), and a renewal
   * request.
   */
  static List<Notice> notices(
      List<Due> due,
      Set<NoticeKey> sent,
      List<Webhooks.Endpoint> endpoints,
      VendorContacts vendor) {
    List<Notice> notices = new ArrayList<>(due.size());
    for (Due d : due) {
      String subscriptionId = d.step().s().id();
      String licenseId = d.step().license().id();
      Stage stage = d.stage();
      boolean mail =
          !sent.contains(new NoticeKey(subscriptionId, licenseId, stage.id(), Channel.EMAIL));
      List<String> types = webhookTypes(stage);
      boolean webhook =
          stage.tells(Recipient.WEBHOOK)
              && types.stream().anyMatch(t -> endpoints.stream().anyMatch(e -> e.wants(t)))
              && !sent.contains(
                  new NoticeKey(subscriptionId, licenseId, stage.id(), Channel.WEBHOOK));
      boolean renewal =
          stage.tells(Recipient.RENEWAL_REQUEST)
              && !sent.contains(
                  new NoticeKey(subscriptionId, licenseId, stage.id(), Channel.RENEWAL));
      notices.add(
          new Notice(
              d.step(),
              stage,
              mail,
              mail && stage.tells(Recipient.CUSTOMER),
              mail ? vendorAlerts(stage, d.step().policy(), vendor) : List.of(),
              webhook ? webhookEvents(d.step().license(), stage, types) : List.of(),
              renewal));
    }
    return notices;
  }

  /** The notice rows to insert for these notices, in order: mail, webhook, renewal request. */
  static List<NoticeKey> claims(List<Notice> notices) {
    List<NoticeKey> keys = new ArrayList<>();
    for (Notice n : notices) {
      String subscriptionId = n.step().s().id();
      String licenseId = n.step().license().id();
      if (n.mail()) {
        keys.add(new NoticeKey(subscriptionId, licenseId, n.stage().id(), Channel.EMAIL));
      }
      if (!n.webhooks().isEmpty()) {
        keys.add(new NoticeKey(subscriptionId, licenseId, n.stage().id(), Channel.WEBHOOK));
      }
      if (n.renewalRequest()) {
        keys.add(new NoticeKey(subscriptionId, licenseId, n.stage().id(), Channel.RENEWAL));
      }
    }
    return keys;
  }

  private static void phaseEvents(
      Step step,
      Map<String, Long> graceEntries,
      List<EventLog.Entry> events,
      List<String> upfront) {
    Subscription s = step.s();
    LicenseRecord license = step.license();
    Phase previous = step.previous();
    Phase phase = step.standing().phase();
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("expires_at", license.expiresAt().toString());
    meta.put("locks_at", license.locksAt().toString());
    if (previous.compareTo(Phase.GRACE) >= 0 && phase.compareTo(Phase.GRACE) < 0) {
      events.add(event("subscription.reactivated", s.id(), license.id(), meta));
    }
    if (step.entersGrace()) {
      events.add(event("license.expired", s.id(), license.id(), meta));
      events.add(event("license.grace_started", s.id(), license.id(), meta));
      long entries = graceEntries.getOrDefault(s.id(), 0L) + 1;
      if (entries >= GRACE_ENTRIES_FOR_UPFRONT_PAYMENT && !s.requiresUpfrontPayment()) {
        upfront.add(s.id());
        events.add(
            event(
                "subscription.upfront_payment_required",
                s.id(),
                null,
                Map.of("grace_entries_last_12_months", entries)));
      }
    }
    if (previous != Phase.LOCKED && phase == Phase.LOCKED) {
      events.add(
          event(
              step.policy().lockAction() == LockAction.SUSPEND
                  ? "subscription.suspended"
                  : "license.locked",
              s.id(),
              license.id(),
              meta));
    }
  }

  private static EventLog.Entry event(
      String type, String subscriptionId, String licenseId, Map<String, ?> metadata) {
    return new EventLog.Entry(type, Sweep.ACTOR, subscriptionId, licenseId, metadata);
  }

  /** The vendor's own alerts the stage asks for: its account team, its support. */
  private static List<VendorAlert> vendorAlerts(Stage stage, Policy policy, VendorContacts vendor) {
    List<VendorAlert> alerts = new ArrayList<>(2);
    if (stage.tells(Recipient.ACCOUNT_TEAM) && vendor.accountTeam() != null) {
      alerts.add(new VendorAlert(vendor.accountTeam(), headline(stage, policy, "Renewal due")));
    }
    if (stage.tells(Recipient.SUPPORT) && vendor.support() != null) {
      alerts.add(new VendorAlert(vendor.support(), headline(stage, policy, "License expires")));
    }
    return alerts;
  }

  /**
   * "Renewal due in 15 days" at D-15, "License expired" at expiry, "License locked" at the lock.
   */
  private static String headline(Stage stage, Policy policy, String expiring) {
    return switch (stage.phase()) {
      case GRACE -> "License expired";
      case LOCKED -> "License " + policy.lockAction().pastTense();
      default -> expiring + " in " + -stage.offset().toDays() + " days";
    };
  }

  private static List<String> webhookTypes(Stage stage) {
    return switch (stage.phase()) {
      case GRACE -> List.of("license.expired", "license.grace_started");
      case LOCKED -> List.of("license.locked");
      default -> List.of("license.expiring");
    };
  }

  private static List<WebhookEvent> webhookEvents(
      LicenseRecord license, Stage stage, List<String> types) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("license_id", license.id());
    data.put("stage", stage.id());
    data.put("expires_at", license.expiresAt().toString());
    data.put("locks_at", license.locksAt().toString());
    if (stage.phase() == Phase.LOCKED) {
      data.put("action", license.policy().lockAction().pastTense());
    }
    List<WebhookEvent> events = new ArrayList<>(types.size());
    for (String type : types) {
      events.add(new WebhookEvent(type, data));
    }
    return events;
  }

  /** The last stage (in policy order) whose mail went out for this license. */
  private static Optional<String> lastNotified(
      Set<NoticeKey> sent, String subscriptionId, String licenseId, Policy policy) {
    String last = null;
    for (Stage stage : policy.stages()) {
      if (sent.contains(new NoticeKey(subscriptionId, licenseId, stage.id(), Channel.EMAIL))) {
        last = stage.id();
      }
    }
    return Optional.ofNullable(last);
  }
}
