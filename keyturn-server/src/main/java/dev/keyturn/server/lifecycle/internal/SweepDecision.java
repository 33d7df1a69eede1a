package dev.keyturn.server.lifecycle.internal;

import dev.keyturn.core.lifecycle.Lifecycle;
import dev.keyturn.core.lifecycle.LockAction;
import dev.keyturn.core.lifecycle.Phase;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.core.lifecycle.Stage;
import dev.keyturn.core.lifecycle.Standing;
import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.delivery.Webhooks;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.lifecycle.Sweep;
import dev.keyturn.server.subscription.Subscription;
import java.time.Duration;
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

  /** Reminders (so many days before expiry) that also alert the vendor's own people. */
  static final Duration ACCOUNT_TEAM_REMINDER = Duration.ofDays(-15);

  static final Duration SUPPORT_REMINDER = Duration.ofDays(-7);

  /** The reminder that also opens a renewal request on the vendor side (docs/design.md §4). */
  static final Duration RENEWAL_REMINDER = Duration.ofDays(-1);

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
   * A due notice and the channels to send it on now (those not recorded yet).
   *
   * @param webhooks the events to publish, when the webhook channel is claimed; else empty
   */
  record Notice(
      Step step,
      Stage stage,
      boolean mail,
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
   * The channels of each due notice not recorded yet: the mail (with the vendor's alerts at D-15
   * and D-7), the webhook when an endpoint listens to its events (nothing to claim otherwise: the
   * stage is settled by its mail either way), and at D-1 the renewal request.
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
          types.stream().anyMatch(t -> endpoints.stream().anyMatch(e -> e.wants(t)))
              && !sent.contains(
                  new NoticeKey(subscriptionId, licenseId, stage.id(), Channel.WEBHOOK));
      boolean renewal =
          stage.phase() == Phase.EXPIRING
              && stage.offset().equals(RENEWAL_REMINDER)
              && !sent.contains(
                  new NoticeKey(subscriptionId, licenseId, stage.id(), Channel.RENEWAL));
      notices.add(
          new Notice(
              d.step(),
              stage,
              mail,
              mail ? vendorAlerts(stage, vendor) : List.of(),
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

  private static List<VendorAlert> vendorAlerts(Stage stage, VendorContacts vendor) {
    if (stage.phase() != Phase.EXPIRING) {
      return List.of();
    }
    if (stage.offset().equals(ACCOUNT_TEAM_REMINDER) && vendor.accountTeam() != null) {
      return List.of(new VendorAlert(vendor.accountTeam(), "Renewal due in 15 days"));
    }
    if (stage.offset().equals(SUPPORT_REMINDER) && vendor.support() != null) {
      return List.of(new VendorAlert(vendor.support(), "License expires in 7 days"));
    }
    return List.of();
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
