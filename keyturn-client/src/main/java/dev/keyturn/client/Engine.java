package dev.keyturn.client;

import dev.keyturn.client.audit.AuditLog;
import dev.keyturn.client.guard.ClockGuard;
import dev.keyturn.client.guard.GuardedTime;
import dev.keyturn.client.store.LicenseFiles;
import dev.keyturn.client.store.PersistentState;
import dev.keyturn.client.store.StateStatus;
import dev.keyturn.client.store.StateStore;
import dev.keyturn.client.store.UsageRecord;
import dev.keyturn.client.store.UsageStore;
import dev.keyturn.core.verify.LicenseVerifier;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The mutable heart of a {@link LicenseManager}: the state, the guard, the license history, and the
 * few operations everything else is built from: read the guarded time, record an event, publish a
 * new snapshot. Everything but {@link #snapshot} is guarded by {@link #lock}.
 */
final class Engine {
  private static final System.Logger LOG = System.getLogger(LicenseManager.class.getName());

  final Path stateDir;
  final Optional<String> instanceDomain;
  final Supplier<Map<String, Long>> usage;
  final ZoneId zone;
  final boolean readOnly;
  final LicenseVerifier verifier;
  final StateStore store;
  final AuditLog audit;
  final LicenseFiles files;
  final LicenseHistory history;
  final UsageStore usageStore;
  final Object lock = new Object();
  final EnumSet<StandingFlag> sessionFlags = EnumSet.noneOf(StandingFlag.class);

  /** The hot path's only read. */
  volatile Snapshot snapshot = Snapshot.NOTHING;

  ClockGuard guard;
  PersistentState state;

  /** The usage the product last reported, and the monthly maxima ({@link UsageStore}). */
  UsageRecord usageRecord = UsageRecord.empty();

  Instant persistedHighWater;
  boolean rollbackReported;

  /** Called after every publish; the manager plans its next refresh there. */
  Runnable afterPublish = () -> {};

  Engine(
      Path stateDir,
      LicenseVerifier verifier,
      Optional<String> instanceDomain,
      Supplier<Map<String, Long>> usage,
      ZoneId zone,
      boolean readOnly) {
    this.stateDir = stateDir;
    this.verifier = verifier;
    this.instanceDomain = instanceDomain;
    this.usage = usage;
    this.zone = zone;
    this.readOnly = readOnly;
    this.store = new StateStore(stateDir);
    this.audit = new AuditLog(stateDir);
    this.files = new LicenseFiles(stateDir);
    this.history = new LicenseHistory(files, verifier, instanceDomain);
    this.usageStore = new UsageStore(store);
  }

  /** Serializes with other threads and processes; a read-only engine writes no lock file either. */
  <T> T locked(Supplier<T> action) {
    synchronized (lock) {
      return readOnly ? action.get() : store.locked(action);
    }
  }

  /**
   * Reads the guarded time; audits a rollback when it starts and when it ends, and persists the
   * high-water mark every {@link LicenseManager#HIGH_WATER_PERSIST_INTERVAL}.
   */
  GuardedTime now() {
    GuardedTime t = guard.observe();
    if (readOnly) {
      return t;
    }
    if (t.rollback() && !rollbackReported) {
      rollbackReported = true;
      record(rollbackEvent(t), UnaryOperator.identity());
    } else if (!t.rollback() && rollbackReported) {
      rollbackReported = false;
      record(
          new AuditEvent(t.effective(), "clock_restored", Map.of("clock", t.clock().toString())),
          UnaryOperator.identity());
    } else if (!t.effective()
        .isBefore(persistedHighWater.plus(LicenseManager.HIGH_WATER_PERSIST_INTERVAL))) {
      record(null, UnaryOperator.identity());
    }
    return t;
  }

  static AuditEvent rollbackEvent(GuardedTime t) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("clock", t.clock().toString());
    data.put("high_water", t.effective().toString());
    data.put("behind_seconds", t.behind().toSeconds());
    return new AuditEvent(t.effective(), "clock_rollback", data);
  }

  /** Evaluates the license in force at {@code t} and swaps in the new snapshot. */
  ClientStanding publish(GuardedTime t) {
    Instant at = t.effective();
    Optional<InstalledLicense> inForce = history.inForce(at);
    Optional<InstalledLicense> shown = inForce.isPresent() ? inForce : history.nextToStart(at);
    Optional<Instant> nextActivation = history.nextToStart(at).map(l -> l.license().notBefore());
    Evaluator.Evaluation e =
        Evaluator.evaluate(
            shown, nextActivation, t, state, sessionFlags, usageRecord.current(), zone);
    snapshot = e.snapshot();
    auditStage(e.standing());
    afterPublish.run();
    return e.standing();
  }

  /**
   * Each stage a license enters (EXPIRING at D-30, GRACE at expiry, LOCKED…) is audited once: an
   * administrator can see when the product locked, and the entries are evidence of time if the
   * state file is lost.
   */
  private void auditStage(ClientStanding s) {
    if (readOnly || s.license().isEmpty() || s.stageId().isEmpty()) {
      return;
    }
    String key = s.license().get().id() + "/" + s.stageId();
    if (key.equals(state.lastStage())) {
      return;
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("license_id", s.license().get().id());
    data.put("stage", s.stageId());
    data.put("phase", s.phase().name());
    data.put("mode", s.mode().name());
    record(new AuditEvent(s.evaluatedAt(), "stage_entered", data), st -> st.withLastStage(key));
  }

  /**
   * An audit entry (optional) and a state change, written together under the store lock. A disk
   * that cannot be written must not take the product down: the change is then kept in memory and
   * the failure logged.
   */
  void record(AuditEvent event, UnaryOperator<PersistentState> change) {
    if (readOnly) {
      state = change.apply(state);
      return;
    }
    try {
      locked(
          () -> {
            PersistentState base = currentBase();
            if (event != null) {
              AuditLog.Tail tail = audit.append(event.at(), event.name(), event.data());
              base = base.withAudit(tail.lines(), tail.hash());
            }
            state = store.write(change.apply(base.withHighWater(guard.highWater())));
            persistedHighWater = state.highWaterInstant();
            return null;
          });
    } catch (UncheckedIOException e) {
      state = change.apply(state.withHighWater(guard.highWater()));
      persistedHighWater = guard.highWater();
      warnCannotWrite(e);
    }
  }

  void warnCannotWrite(UncheckedIOException e) {
    LOG.log(
        System.Logger.Level.WARNING,
        "cannot write the license state in " + stateDir + "; continuing from memory",
        e);
  }

  /**
   * The state to change: the file as it is now (another process may have written it), or, if it was
   * deleted or replaced while we ran, our own copy, and that is audited.
   */
  private PersistentState currentBase() {
    StateStore.Loaded current = store.load();
    if (current.status() == StateStatus.OK) {
      return current.state().orElseThrow();
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("status", current.status().name());
    data.put("detail", current.detail());
    AuditLog.Tail tail = audit.append(guard.highWater(), "state_reset", data);
    sessionFlags.add(StandingFlag.STATE_RESET);
    return state.withAudit(tail.lines(), tail.hash());
  }

  /**
   * Loads the usage record from disk (another process may have exported a report since), or, when
   * it is missing its secret, edited or unreadable, starts a new one. A record that cannot be
   * trusted is audited once; the report sequence is rebuilt from the audit log's exports, so the
   * next report does not reuse a number the vendor has seen.
   */
  void reloadUsage() {
    UsageStore.Loaded loaded = usageStore.load();
    if (loaded.status() == StateStatus.OK) {
      usageRecord = loaded.record().orElseThrow();
      return;
    }
    if (loaded.status() == StateStatus.FRESH || readOnly) {
      return;
    }
    if (usageRecord.hasUsage() || usageRecord.lastReportSequence() > 0) {
      return; // ours in memory is newer than a damaged file; the next write replaces it
    }
    long sequence =
        audit.entries().stream()
            .filter(e -> e.event().equals(UsageReports.AUDIT_EVENT))
            .mapToLong(e -> ((Number) e.data().getOrDefault("sequence", 0)).longValue())
            .max()
            .orElse(0);
    usageRecord = UsageRecord.empty().withLastReportSequence(sequence);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("status", loaded.status().name());
    data.put("detail", loaded.detail());
    record(new AuditEvent(guard.highWater(), "usage_record_reset", data), UnaryOperator.identity());
  }

  /**
   * Records usage the product reports at {@code at}, on top of the record on disk (another process
   * may have exported a report since); writes {@link UsageStore#FILE} when usage changed, a month's
   * maximum rose, or the record is older than {@link UsageStore#HEARTBEAT}. Call holding the lock.
   */
  void recordUsage(Map<String, Long> usage, Instant at) {
    if (readOnly) {
      usageRecord = usageRecord.withReport(usage, at);
      return;
    }
    reloadUsage();
    UsageRecord next = usageRecord.withReport(usage, at);
    boolean changed =
        !next.current().equals(usageRecord.current())
            || !next.months().equals(usageRecord.months())
            || !at.isBefore(usageRecord.recordedAtInstant().plus(UsageStore.HEARTBEAT));
    if (changed) {
      writeUsage(next);
    }
  }

  /** Writes the usage record; a disk that cannot be written leaves it in memory, as state does. */
  void writeUsage(UsageRecord next) {
    try {
      locked(
          () -> {
            usageStore.write(next);
            return null;
          });
    } catch (UncheckedIOException e) {
      warnCannotWrite(e);
    }
    usageRecord = next;
  }

  void requireWritable(String what) {
    if (readOnly) {
      throw new ClientException("this LicenseManager is read-only; it cannot " + what);
    }
  }

  /**
   * Until the snapshot's next change, but at most {@link LicenseManager#REFRESH_INTERVAL} and at
   * least {@link LicenseManager#MIN_REFRESH_DELAY}, so that a clock that stands still (a paused VM,
   * a settable clock in a demo) cannot make the thread spin.
   */
  Duration nextRefreshDelay() {
    Instant until = snapshot.validUntil;
    if (until == null) {
      return LicenseManager.REFRESH_INTERVAL;
    }
    Duration d = Duration.between(guard.highWater(), until);
    if (d.compareTo(LicenseManager.MIN_REFRESH_DELAY) < 0) {
      return LicenseManager.MIN_REFRESH_DELAY;
    }
    return d.compareTo(LicenseManager.REFRESH_INTERVAL) > 0 ? LicenseManager.REFRESH_INTERVAL : d;
  }
}
