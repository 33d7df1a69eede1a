package dev.keyturn.server.lifecycle;

import dev.keyturn.core.lifecycle.Lifecycle;
import dev.keyturn.core.lifecycle.Phase;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.core.lifecycle.Stage;
import dev.keyturn.core.lifecycle.Standing;
import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.delivery.Webhooks;
import dev.keyturn.server.license.LicenseIssued;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.license.Licenses;
import dev.keyturn.server.subscription.Subscription;
import dev.keyturn.server.subscription.Subscriptions;
import dev.keyturn.server.system.AutomationProperties;
import dev.keyturn.server.system.Db;
import dev.keyturn.server.system.Ids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The lifecycle sweep. Each subscription stores when it next needs a look ({@code
 * next_transition_at}, indexed); a sweep takes the due rows in batches with {@code FOR UPDATE SKIP
 * LOCKED}, so its cost follows the work that is due and two servers never handle one subscription
 * at once. For each it records phase changes as events and sends at most one notice: the most
 * urgent stage crossed and not yet notified ({@link Lifecycle#noticeDue}), guarded by the unique
 * (subscription, license, stage, channel) key of {@code notices}.
 */
@Component
public class Sweep {
  public static final String ACTOR = "system:sweep";
  static final String EMAIL = "email";
  static final String WEBHOOK = "webhook";
  private static final Duration TRAILING_YEAR = Duration.ofDays(365);

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final Subscriptions subscriptions;
  private final Licenses licenses;
  private final EventLog events;
  private final Notifier notifier;
  private final Webhooks webhooks;
  private final AutomationProperties settings;

  Sweep(
      JdbcClient jdbc,
      TransactionTemplate tx,
      Clock clock,
      Subscriptions subscriptions,
      Licenses licenses,
      EventLog events,
      Notifier notifier,
      Webhooks webhooks,
      AutomationProperties settings) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.clock = clock;
    this.subscriptions = subscriptions;
    this.licenses = licenses;
    this.events = events;
    this.notifier = notifier;
    this.webhooks = webhooks;
    this.settings = settings;
  }

  /** Applies every transition due now, batch by batch; returns how many subscriptions it saw. */
  public int run() {
    Instant now = clock.instant();
    int total = 0;
    while (true) {
      Integer n = tx.execute(status -> batch(now));
      total += n;
      if (n < settings.sweep().batchSize()) {
        break;
      }
    }
    total += detectGaps(now);
    return total;
  }

  private int batch(Instant now) {
    List<String> due =
        jdbc.sql(
                "select id from subscriptions where next_transition_at <= ? and archived_at is null"
                    + " order by next_transition_at limit "
                    + settings.sweep().batchSize()
                    + " for update skip locked")
            .param(Db.ts(now))
            .query(String.class)
            .list();
    for (String id : due) {
      apply(id, now);
    }
    return due.size();
  }

  @EventListener
  void onLicenseIssued(LicenseIssued issued) {
    apply(issued.subscriptionId(), clock.instant());
  }

  /**
   * Brings one subscription up to date at {@code now}. The caller holds its row lock (the sweep's
   * batch, or issuance after a payment, which so reactivates at once).
   */
  public void apply(String subscriptionId, Instant now) {
    Subscription s = subscriptions.find(subscriptionId).orElseThrow();
    Optional<LicenseRecord> current = licenses.newestUsable(subscriptionId, now);
    if (s.archived() || current.isEmpty()) {
      save(subscriptionId, nextNotBefore(subscriptionId, now), null, null);
      return;
    }
    LicenseRecord license = current.get();
    Policy policy = license.policy();
    Standing standing =
        Lifecycle.evaluate(license.notBefore(), license.expiresAt(), now, policy, ZoneOffset.UTC);
    State before = state(subscriptionId);
    Phase previous = before.phase() == null ? Phase.ACTIVE : Phase.valueOf(before.phase());
    Phase phase = standing.phase();
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("expires_at", license.expiresAt().toString());
    meta.put("locks_at", license.locksAt().toString());

    if (previous.compareTo(Phase.GRACE) >= 0 && phase.compareTo(Phase.GRACE) < 0) {
      events.record("subscription.reactivated", ACTOR, s.id(), license.id(), meta);
    }
    if (previous.compareTo(Phase.GRACE) < 0 && phase.compareTo(Phase.GRACE) >= 0) {
      events.record("license.expired", ACTOR, s.id(), license.id(), meta);
      events.record("license.grace_started", ACTOR, s.id(), license.id(), meta);
      checkGraceAbuse(s, now);
    }
    if (previous != Phase.LOCKED && phase == Phase.LOCKED) {
      events.record(
          policy.lockAction().name().equals("SUSPEND")
              ? "subscription.suspended"
              : "license.locked",
          ACTOR,
          s.id(),
          license.id(),
          meta);
    }

    Optional<Stage> due =
        Lifecycle.noticeDue(
            policy, license.expiresAt(), lastNotified(s.id(), license, policy), now);
    due.ifPresent(stage -> notice(s, license, stage));
    Instant next = standing.nextTransitionAt().orElse(null);
    Instant pending = nextNotBefore(subscriptionId, now);
    if (pending != null && (next == null || pending.isBefore(next))) {
      next = pending;
    }
    save(subscriptionId, next, license.id(), phase.name());
  }

  private void notice(Subscription s, LicenseRecord license, Stage stage) {
    if (claim(s.id(), license.id(), stage.id(), EMAIL)) {
      notifier.stage(s, license, stage);
      AutomationProperties.Notifications vendor = settings.notifications();
      if (stage.id().equals("D-15") && vendor.accountTeam() != null) {
        notifier.vendor(s, license, stage, vendor.accountTeam(), "Renewal due in 15 days");
      }
      if (stage.id().equals("D-7") && vendor.support() != null) {
        notifier.vendor(s, license, stage, vendor.support(), "License expires in 7 days");
      }
    }
    if (claim(s.id(), license.id(), stage.id(), WEBHOOK)) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("license_id", license.id());
      data.put("stage", stage.id());
      data.put("expires_at", license.expiresAt().toString());
      data.put("locks_at", license.locksAt().toString());
      switch (stage.id()) {
        case Stage.EXPIRY -> {
          webhooks.publish("license.expired", s.id(), data);
          webhooks.publish("license.grace_started", s.id(), data);
        }
        case Stage.LOCK -> {
          data.put("action", license.policy().lockAction().pastTense());
          webhooks.publish("license.locked", s.id(), data);
        }
        default -> webhooks.publish("license.expiring", s.id(), data);
      }
    }
    if (stage.id().equals("D-1") && claim(s.id(), license.id(), stage.id(), "renewal")) {
      openRenewalRequest(s, license);
    }
    events.record("notice.sent", ACTOR, s.id(), license.id(), Map.of("stage", stage.id()));
  }

  /** D-1 opens a renewal request on the vendor side (DESIGN §4). */
  private void openRenewalRequest(Subscription s, LicenseRecord license) {
    String id = Ids.next("rnw", clock);
    jdbc.sql(
            "insert into renewal_requests (id, subscription_id, license_id, source, state,"
                + " created_at, created_by) values (?, ?, ?, 'AUTOMATIC', 'OPEN', ?, ?)")
        .params(id, s.id(), license.id(), Db.ts(clock.instant()), ACTOR)
        .update();
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("renewal_request_id", id);
    data.put("license_id", license.id());
    data.put("expires_at", license.expiresAt().toString());
    data.put("source", "AUTOMATIC");
    events.record("renewal.requested", ACTOR, s.id(), license.id(), data);
    webhooks.publish("renewal.requested", s.id(), data);
  }

  /**
   * Insert-or-skip: true when this call recorded the notice, false when it exists already. The row
   * lock makes the check race-free; the unique key is the last line of defence.
   */
  private boolean claim(String subscriptionId, String licenseId, String stage, String channel) {
    return jdbc.sql(
                "insert into notices (subscription_id, license_id, stage, channel, sent_at) select"
                    + " ?, ?, ?, ?, ? where not exists (select 1 from notices where"
                    + " subscription_id = ? and license_id = ? and stage = ? and channel = ?)")
            .params(
                subscriptionId,
                licenseId,
                stage,
                channel,
                Db.ts(clock.instant()),
                subscriptionId,
                licenseId,
                stage,
                channel)
            .update()
        == 1;
  }

  private Optional<String> lastNotified(String subscriptionId, LicenseRecord license, Policy p) {
    List<String> sent =
        jdbc.sql(
                "select stage from notices where subscription_id = ? and license_id = ? and channel"
                    + " = ?")
            .params(subscriptionId, license.id(), EMAIL)
            .query(String.class)
            .list();
    String last = null;
    for (Stage stage : p.stages()) {
      if (sent.contains(stage.id())) {
        last = stage.id();
      }
    }
    return Optional.ofNullable(last);
  }

  /** The third grace entry in twelve months asks for payment up front from then on. */
  private void checkGraceAbuse(Subscription s, Instant now) {
    long entries =
        jdbc.sql(
                "select count(*) from events where subscription_id = ? and type ="
                    + " 'license.grace_started' and occurred_at > ?")
            .params(s.id(), Db.ts(now.minus(TRAILING_YEAR)))
            .query(Long.class)
            .single();
    boolean already =
        jdbc.sql("select requires_upfront_payment from subscriptions where id = ?")
            .param(s.id())
            .query(Boolean.class)
            .single();
    if (entries >= 3 && !already) {
      jdbc.sql("update subscriptions set requires_upfront_payment = true where id = ?")
          .param(s.id())
          .update();
      events.record(
          "subscription.upfront_payment_required",
          ACTOR,
          s.id(),
          null,
          Map.of("grace_entries_last_12_months", entries));
    }
  }

  /** A license issued for later (not_before in the future) wakes the sweep when it starts. */
  private Instant nextNotBefore(String subscriptionId, Instant now) {
    return jdbc.sql(
            "select min(not_before) as first_start from licenses where subscription_id = ? and revoked_at is null"
                + " and not_before > ?")
        .params(subscriptionId, Db.ts(now))
        .query((rs, n) -> Db.instant(rs, "first_start"))
        .optional()
        .orElse(null);
  }

  private record State(String licenseId, String phase) {}

  private State state(String subscriptionId) {
    return jdbc.sql("select lifecycle_license_id, lifecycle_phase from subscriptions where id = ?")
        .param(subscriptionId)
        .query((rs, n) -> new State(rs.getString(1), rs.getString(2)))
        .single();
  }

  private void save(String subscriptionId, Instant next, String licenseId, String phase) {
    jdbc.sql(
            "update subscriptions set next_transition_at = ?, lifecycle_license_id = ?,"
                + " lifecycle_phase = ? where id = ?")
        .params(Db.ts(next), licenseId, phase, subscriptionId)
        .update();
  }

  /**
   * Subscriptions paid beyond their newest license: there should never be one, because payments
   * issue in the same transaction. Each gap is reported once per paid-through value.
   */
  private int detectGaps(Instant now) {
    List<LicenseGaps.Gap> gaps = gapsQuery().find(now);
    int reported = 0;
    for (LicenseGaps.Gap gap : gaps) {
      Boolean fresh =
          tx.execute(
              status ->
                  jdbc.sql(
                                  "update subscriptions set gap_reported_through = ? where id = ? and"
                                      + " (gap_reported_through is null or gap_reported_through <> ?)")
                              .params(
                                  Db.ts(gap.paidThrough()),
                                  gap.subscriptionId(),
                                  Db.ts(gap.paidThrough()))
                              .update()
                          == 1
                      && record(gap));
      if (Boolean.TRUE.equals(fresh)) {
        reported++;
      }
    }
    return reported;
  }

  private boolean record(LicenseGaps.Gap gap) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("paid_through", gap.paidThrough().toString());
    meta.put(
        "newest_license_expires_at",
        gap.newestLicenseExpiresAt() == null ? null : gap.newestLicenseExpiresAt().toString());
    events.record("license.gap_detected", ACTOR, gap.subscriptionId(), null, meta);
    return true;
  }

  private LicenseGaps gapsQuery() {
    return new LicenseGaps(jdbc);
  }
}
