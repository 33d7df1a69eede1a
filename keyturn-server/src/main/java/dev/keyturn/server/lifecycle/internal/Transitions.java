package dev.keyturn.server.lifecycle.internal;

import dev.keyturn.core.lifecycle.Lifecycle;
import dev.keyturn.core.lifecycle.Phase;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.core.lifecycle.Stage;
import dev.keyturn.core.lifecycle.Standing;
import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.config.AutomationProperties;
import dev.keyturn.server.delivery.Outbox;
import dev.keyturn.server.delivery.Webhooks;
import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.jdbc.Dialect;
import dev.keyturn.server.jdbc.Ids;
import dev.keyturn.server.jdbc.MultiRowInsert;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.license.Licenses;
import dev.keyturn.server.lifecycle.Sweep;
import dev.keyturn.server.notify.Notifier;
import dev.keyturn.server.subscription.ContactPreferences;
import dev.keyturn.server.subscription.Subscription;
import dev.keyturn.server.subscription.Subscriptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Brings a batch of subscriptions up to date at one instant, set by set: a handful of queries read
 * the whole batch (subscriptions, current licenses, notices sent, mutes, grace entries), the
 * decisions are made in memory, and the writes go back as multi-row inserts and JDBC batches
 * (notice claims, outbox rows, events, renewal requests, the subscriptions' new state). A batch so
 * costs a few round trips however many subscriptions it holds. The caller holds the subscriptions'
 * row locks; the unique (subscription, license, stage, channel) key of {@code notices} is the last
 * line of defence.
 */
@Component
public class Transitions {
  private static final Duration TRAILING_YEAR = Duration.ofDays(365);
  private static final int STATES_PER_STATEMENT = 1000;

  private final JdbcClient jdbc;
  private final JdbcTemplate batch;
  private final Clock clock;
  private final Subscriptions subscriptions;
  private final Licenses licenses;
  private final EventLog events;
  private final Notifier notifier;
  private final Webhooks webhooks;
  private final Outbox outbox;
  private final ContactPreferences preferences;
  private final AutomationProperties.Notifications vendor;
  private final Dialect dialect;

  Transitions(
      JdbcClient jdbc,
      JdbcTemplate batch,
      Clock clock,
      Subscriptions subscriptions,
      Licenses licenses,
      EventLog events,
      Notifier notifier,
      Webhooks webhooks,
      Outbox outbox,
      ContactPreferences preferences,
      AutomationProperties settings,
      Dialect dialect) {
    this.jdbc = jdbc;
    this.batch = batch;
    this.clock = clock;
    this.subscriptions = subscriptions;
    this.licenses = licenses;
    this.events = events;
    this.notifier = notifier;
    this.webhooks = webhooks;
    this.outbox = outbox;
    this.preferences = preferences;
    this.vendor = settings.notifications();
    this.dialect = dialect;
  }

  /** One subscription with a usable license, evaluated at the batch's instant. */
  private record Step(Subscription s, LicenseRecord license, Policy policy, Standing standing) {
    Phase previous() {
      return s.lifecyclePhase() == null ? Phase.ACTIVE : Phase.valueOf(s.lifecyclePhase());
    }

    boolean entersGrace() {
      return previous().compareTo(Phase.GRACE) < 0 && standing.phase().compareTo(Phase.GRACE) >= 0;
    }
  }

  private record Notice(Step step, Stage stage) {}

  /** Everything a batch writes, sent to the database at the end in a few round trips. */
  private static final class Writes {
    final List<EventLog.Entry> events = new ArrayList<>();
    final List<Outbox.Entry> outbox = new ArrayList<>();
    final List<Object[]> renewals = new ArrayList<>();
    final List<Object[]> upfront = new ArrayList<>();
    final List<Object[]> states = new ArrayList<>();

    void event(String type, String subscriptionId, String licenseId, Map<String, ?> metadata) {
      events.add(new EventLog.Entry(type, Sweep.ACTOR, subscriptionId, licenseId, metadata));
    }

    void state(String subscriptionId, Instant next, String licenseId, Phase phase) {
      states.add(
          new Object[] {
            Db.ts(next), licenseId, phase == null ? null : phase.name(), subscriptionId
          });
    }
  }

  /**
   * Applies phase changes as events and sends at most one notice per subscription: the most urgent
   * stage crossed and not yet notified ({@link Lifecycle#noticeDue}).
   */
  public void apply(List<String> ids, Instant now) {
    if (ids.isEmpty()) {
      return;
    }
    Map<String, Subscription> rows = subscriptions.findAll(ids);
    Map<String, LicenseRecord> current = licenses.newestUsable(ids, now);
    Map<String, Instant> starts = nextNotBefore(ids, now);
    Set<NoticeKey> sent = notices(ids);
    Writes w = new Writes();

    List<Step> steps = new ArrayList<>();
    for (String id : ids) {
      Subscription s = rows.get(id);
      if (s == null) {
        continue;
      }
      LicenseRecord license = current.get(id);
      if (s.archived() || license == null) {
        w.state(id, starts.get(id), null, null);
        continue;
      }
      Policy policy = license.policy();
      Standing standing =
          Lifecycle.evaluate(license.notBefore(), license.expiresAt(), now, policy, ZoneOffset.UTC);
      steps.add(new Step(s, license, policy, standing));
    }

    Map<String, Long> graceEntries =
        graceEntries(steps.stream().filter(Step::entersGrace).map(st -> st.s().id()).toList(), now);
    List<Notice> due = new ArrayList<>();
    for (Step step : steps) {
      phaseEvents(step, graceEntries, w);
      String id = step.s().id();
      Lifecycle.noticeDue(
              step.policy(),
              step.license().expiresAt(),
              lastNotified(sent, id, step.license().id(), step.policy()),
              now)
          .ifPresent(stage -> due.add(new Notice(step, stage)));
      Instant next = step.standing().nextTransitionAt().orElse(null);
      Instant pending = starts.get(id);
      if (pending != null && (next == null || pending.isBefore(next))) {
        next = pending;
      }
      w.state(id, next, step.license().id(), step.standing().phase());
    }

    notices(due, sent, w);

    events.recordAll(w.events);
    outbox.enqueue(w.outbox);
    batch.batchUpdate(
        "insert into renewal_requests (id, subscription_id, license_id, source, state, created_at,"
            + " created_by) values (?, ?, ?, 'AUTOMATIC', 'OPEN', ?, ?)",
        w.renewals);
    batch.batchUpdate(
        "update subscriptions set requires_upfront_payment = true where id = ?", w.upfront);
    saveStates(w.states);
  }

  /**
   * Writes the batch's new sweep state. On PostgreSQL one {@code update … from (values …)} per
   * {@link #STATES_PER_STATEMENT} subscriptions: planned and executed once, rather than once per
   * row as a JDBC batch is (which H2, without {@code update … from}, still gets).
   */
  private void saveStates(List<Object[]> states) {
    if (!dialect.postgres()) {
      batch.batchUpdate(
          "update subscription_lifecycle set next_transition_at = ?, license_id = ?, phase = ?"
              + " where subscription_id = ?",
          states);
      return;
    }
    for (int from = 0; from < states.size(); from += STATES_PER_STATEMENT) {
      List<Object[]> chunk =
          states.subList(from, Math.min(states.size(), from + STATES_PER_STATEMENT));
      batch.update(
          "update subscription_lifecycle l set next_transition_at = v.next_transition_at,"
              + " license_id = v.license_id, phase = v.phase from (values "
              + String.join(
                  ", ",
                  Collections.nCopies(
                      chunk.size(),
                      "(cast(? as timestamp with time zone), cast(? as varchar),"
                          + " cast(? as varchar), cast(? as varchar))"))
              + ") as v (next_transition_at, license_id, phase, id) where l.subscription_id = v.id",
          MultiRowInsert.bind(chunk));
    }
  }

  private void phaseEvents(Step step, Map<String, Long> graceEntries, Writes w) {
    Subscription s = step.s();
    LicenseRecord license = step.license();
    Phase previous = step.previous();
    Phase phase = step.standing().phase();
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("expires_at", license.expiresAt().toString());
    meta.put("locks_at", license.locksAt().toString());
    if (previous.compareTo(Phase.GRACE) >= 0 && phase.compareTo(Phase.GRACE) < 0) {
      w.event("subscription.reactivated", s.id(), license.id(), meta);
    }
    if (step.entersGrace()) {
      w.event("license.expired", s.id(), license.id(), meta);
      w.event("license.grace_started", s.id(), license.id(), meta);
      // The third grace entry in twelve months asks for payment up front from then on.
      long entries = graceEntries.getOrDefault(s.id(), 0L) + 1;
      if (entries >= 3 && !s.requiresUpfrontPayment()) {
        w.upfront.add(new Object[] {s.id()});
        w.event(
            "subscription.upfront_payment_required",
            s.id(),
            null,
            Map.of("grace_entries_last_12_months", entries));
      }
    }
    if (previous != Phase.LOCKED && phase == Phase.LOCKED) {
      w.event(
          step.policy().lockAction().name().equals("SUSPEND")
              ? "subscription.suspended"
              : "license.locked",
          s.id(),
          license.id(),
          meta);
    }
  }

  /**
   * Claims each due notice's channels not yet recorded (mail, webhook, and at D-1 the renewal
   * request), then writes what each claim announces.
   */
  private void notices(List<Notice> due, Set<NoticeKey> sent, Writes w) {
    if (due.isEmpty()) {
      return;
    }
    List<Webhooks.Endpoint> endpoints = webhooks.endpoints();
    List<NoticeKey> wanted = new ArrayList<>();
    for (Notice n : due) {
      for (String channel : channels(n.stage(), endpoints)) {
        NoticeKey key =
            new NoticeKey(n.step().s().id(), n.step().license().id(), n.stage().id(), channel);
        if (!sent.contains(key)) {
          wanted.add(key);
        }
      }
    }
    Set<NoticeKey> claimed = claim(wanted);
    Map<String, Set<String>> muted =
        preferences.mutedEarlyReminders(due.stream().map(n -> n.step().s().id()).toList());
    for (Notice n : due) {
      Subscription s = n.step().s();
      LicenseRecord license = n.step().license();
      Stage stage = n.stage();
      if (claimed.contains(new NoticeKey(s.id(), license.id(), stage.id(), Sweep.EMAIL))) {
        notifier.stage(s, license, stage, muted.getOrDefault(s.id(), Set.of()), w.outbox);
        if (stage.id().equals("D-15") && vendor.accountTeam() != null) {
          notifier.vendor(
              s, license, stage, vendor.accountTeam(), "Renewal due in 15 days", w.outbox);
        }
        if (stage.id().equals("D-7") && vendor.support() != null) {
          notifier.vendor(
              s, license, stage, vendor.support(), "License expires in 7 days", w.outbox);
        }
      }
      if (claimed.contains(new NoticeKey(s.id(), license.id(), stage.id(), Sweep.WEBHOOK))) {
        webhook(s, license, stage, endpoints, w);
      }
      if (claimed.contains(new NoticeKey(s.id(), license.id(), stage.id(), Sweep.RENEWAL))) {
        openRenewalRequest(s, license, endpoints, w);
      }
    }
  }

  /**
   * The channels a notice is claimed on: the mail, the webhook when an endpoint listens to its
   * events (nothing to claim otherwise: the stage is settled by its mail either way), and at D-1
   * the renewal request.
   */
  private static List<String> channels(Stage stage, List<Webhooks.Endpoint> endpoints) {
    List<String> channels = new ArrayList<>(List.of(Sweep.EMAIL));
    if (webhookTypes(stage).stream().anyMatch(t -> endpoints.stream().anyMatch(e -> e.wants(t)))) {
      channels.add(Sweep.WEBHOOK);
    }
    if (stage.id().equals("D-1")) {
      channels.add(Sweep.RENEWAL);
    }
    return channels;
  }

  private static List<String> webhookTypes(Stage stage) {
    return switch (stage.id()) {
      case Stage.EXPIRY -> List.of("license.expired", "license.grace_started");
      case Stage.LOCK -> List.of("license.locked");
      default -> List.of("license.expiring");
    };
  }

  private void webhook(
      Subscription s,
      LicenseRecord license,
      Stage stage,
      List<Webhooks.Endpoint> endpoints,
      Writes w) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("license_id", license.id());
    data.put("stage", stage.id());
    data.put("expires_at", license.expiresAt().toString());
    data.put("locks_at", license.locksAt().toString());
    if (stage.id().equals(Stage.LOCK)) {
      data.put("action", license.policy().lockAction().pastTense());
    }
    for (String type : webhookTypes(stage)) {
      w.outbox.addAll(webhooks.entries(endpoints, type, s.id(), data));
    }
  }

  /** D-1 opens a renewal request on the vendor side (DESIGN §4). */
  private void openRenewalRequest(
      Subscription s, LicenseRecord license, List<Webhooks.Endpoint> endpoints, Writes w) {
    String id = Ids.next("rnw", clock);
    w.renewals.add(new Object[] {id, s.id(), license.id(), Db.ts(clock.instant()), Sweep.ACTOR});
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("renewal_request_id", id);
    data.put("license_id", license.id());
    data.put("expires_at", license.expiresAt().toString());
    data.put("source", "AUTOMATIC");
    w.event("renewal.requested", s.id(), license.id(), data);
    w.outbox.addAll(webhooks.entries(endpoints, "renewal.requested", s.id(), data));
  }

  private record NoticeKey(String subscriptionId, String licenseId, String stage, String channel) {}

  /** Every notice already recorded for these subscriptions, on every channel. */
  private Set<NoticeKey> notices(List<String> ids) {
    Set<NoticeKey> sent = new HashSet<>();
    jdbc.sql(
            "select subscription_id, license_id, stage, channel from notices where subscription_id"
                + " in ("
                + marks(ids)
                + ")")
        .params(ids)
        .query(
            rs -> {
              sent.add(
                  new NoticeKey(
                      rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
            });
    return sent;
  }

  /**
   * Records the claims with a few multi-row inserts. The row locks make them race-free (the claims
   * were computed from the notices read under the locks); should one still meet an existing row,
   * the unique key skips it and the whole batch is rolled back, to be redone by the next sweep from
   * what is then recorded.
   */
  private Set<NoticeKey> claim(List<NoticeKey> keys) {
    Object at = Db.ts(clock.instant());
    List<Object[]> rows = new ArrayList<>(keys.size());
    for (NoticeKey k : keys) {
      rows.add(new Object[] {k.subscriptionId(), k.licenseId(), k.stage(), k.channel(), at});
    }
    int inserted =
        MultiRowInsert.insert(
            batch,
            "insert into notices (subscription_id, license_id, stage, channel, sent_at)",
            "(?, ?, ?, ?, ?)",
            "on conflict do nothing",
            rows);
    if (inserted != keys.size()) {
      throw new IllegalStateException(
          (keys.size() - inserted)
              + " notice(s) of this batch were recorded meanwhile by another transaction; the"
              + " batch is rolled back and redone by the next sweep");
    }
    return new HashSet<>(keys);
  }

  /** The last stage (in policy order) whose mail went out for this license. */
  private static Optional<String> lastNotified(
      Set<NoticeKey> sent, String subscriptionId, String licenseId, Policy policy) {
    String last = null;
    for (Stage stage : policy.stages()) {
      if (sent.contains(new NoticeKey(subscriptionId, licenseId, stage.id(), Sweep.EMAIL))) {
        last = stage.id();
      }
    }
    return Optional.ofNullable(last);
  }

  /** Grace entries per subscription in the trailing year, before this batch's. */
  private Map<String, Long> graceEntries(List<String> ids, Instant now) {
    Map<String, Long> counts = new HashMap<>();
    if (ids.isEmpty()) {
      return counts;
    }
    // One index probe per subscription, reading its events of the trailing year (a few dozen)
    // and counting the grace entries among them. The type is tested in the count, not in the
    // scan: as a scan condition, with statistics that know no grace event yet (a new server's
    // first catch-up), PostgreSQL walks the type index through every grace event for each
    // subscription, and the batches entering grace get slower one after the other.
    List<Object> params = new ArrayList<>();
    params.add(Db.ts(now.minus(TRAILING_YEAR)));
    params.addAll(ids);
    jdbc.sql(
            "select s.id, (select count(*) filter (where e.type = 'license.grace_started') from"
                + " events e where e.subscription_id = s.id and e.occurred_at > ?) from"
                + " subscriptions s where s.id in ("
                + marks(ids)
                + ")")
        .params(params)
        .query(
            rs -> {
              counts.put(rs.getString(1), rs.getLong(2));
            });
    return counts;
  }

  /** A license issued for later (not_before in the future) wakes the sweep when it starts. */
  private Map<String, Instant> nextNotBefore(List<String> ids, Instant now) {
    Map<String, Instant> starts = new HashMap<>();
    List<Object> params = new ArrayList<>(ids);
    params.add(Db.ts(now));
    jdbc.sql(
            "select subscription_id, min(not_before) as first_start from licenses where"
                + " subscription_id in ("
                + marks(ids)
                + ") and revoked_at is null and not_before > ? group by subscription_id")
        .params(params)
        .query(
            rs -> {
              starts.put(rs.getString(1), Db.instant(rs, "first_start"));
            });
    return starts;
  }

  private static String marks(Collection<?> values) {
    return String.join(", ", Collections.nCopies(values.size(), "?"));
  }
}
