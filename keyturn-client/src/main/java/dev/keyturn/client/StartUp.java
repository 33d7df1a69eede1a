package dev.keyturn.client;

import dev.keyturn.client.audit.AuditEntry;
import dev.keyturn.client.audit.AuditLog;
import dev.keyturn.client.guard.ClockGuard;
import dev.keyturn.client.guard.GuardedTime;
import dev.keyturn.client.store.PersistentState;
import dev.keyturn.client.store.StateStatus;
import dev.keyturn.client.store.StateStore;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Loads the state of a directory, or rebuilds it from evidence when it is missing or cannot be
 * trusted, and starts the clock guard from the latest time that evidence proves.
 */
final class StartUp {
  private static final System.Logger LOG = System.getLogger(LicenseManager.class.getName());

  private final Engine engine;

  private StartUp(Engine engine) {
    this.engine = engine;
  }

  static void run(Engine engine, Clock clock, LongSupplier ticker, Duration tolerance) {
    engine.locked(
        () -> {
          new StartUp(engine).start(clock, ticker, tolerance);
          return null;
        });
  }

  private void start(Clock clock, LongSupplier ticker, Duration tolerance) {
    engine.history.reloadIfChanged();
    AuditLog.Tail tail = engine.audit.tail();
    StateStore.Loaded loaded = engine.store.load();
    Optional<Instant> evidence = latest(tail.lastAt(), engine.history.latestIssuedAt());
    Instant floor;
    Optional<AuditEvent> finding;
    if (loaded.status() == StateStatus.OK) {
      engine.state = loaded.state().orElseThrow();
      floor = latest(Optional.of(engine.state.highWaterInstant()), evidence).orElseThrow();
      finding = auditLogMismatch(tail);
    } else {
      floor = evidence.orElse(Instant.EPOCH);
      engine.state = PersistentState.initial(floor, tail.hash(), tail.lines());
      boolean firstUse =
          loaded.status() == StateStatus.FRESH
              && engine.history.authentic().isEmpty()
              && tail.lines() == 0;
      finding = firstUse ? Optional.empty() : Optional.of(rebuildFromEvidence(loaded, floor));
    }
    engine.guard = new ClockGuard(clock, ticker, tolerance, floor);
    GuardedTime t = engine.guard.observe();
    engine.state = engine.state.withHighWater(t.effective());
    if (!engine.readOnly) {
      writeInitialState(t);
      finding.ifPresent(f -> engine.record(f.at(t.effective()), UnaryOperator.identity()));
      if (t.rollback()) {
        engine.rollbackReported = true;
        engine.record(Engine.rollbackEvent(t), UnaryOperator.identity());
      }
    }
    engine
        .history
        .ignored()
        .forEach(
            (file, why) ->
                LOG.log(
                    System.Logger.Level.WARNING,
                    "ignoring installed license file {0}: {1}",
                    file,
                    why));
    engine.publish(t);
  }

  /**
   * The log must still hold, unchanged, the last line the state file recorded; when it does not,
   * lines were cut or edited while the product was stopped. Reported once: the state then records
   * the log as it is.
   */
  private Optional<AuditEvent> auditLogMismatch(AuditLog.Tail tail) {
    PersistentState state = engine.state;
    boolean intact =
        tail.lines() >= state.auditLines()
            && (state.auditLines() == 0
                || state
                    .auditHead()
                    .equals(engine.audit.hashOfLine(state.auditLines()).orElse("")));
    if (intact) {
      return Optional.empty();
    }
    AuditLog.Tail recorded =
        new AuditLog.Tail(state.auditLines(), state.auditHead(), Optional.empty());
    return Optional.of(
        new AuditEvent(
            null,
            "audit_log_broken",
            Map.of("detail", engine.audit.verify(Optional.of(recorded)).message())));
  }

  /**
   * The state file is gone or cannot be trusted, yet licenses or an audit log exist: time comes
   * from the audit log and the licenses (the caller's {@code floor}), revocations from the audit
   * log. Dismissals are lost, which only shows banners again.
   */
  private AuditEvent rebuildFromEvidence(StateStore.Loaded loaded, Instant floor) {
    for (AuditEntry e : engine.audit.entries()) {
      if (e.event().equals("revoked") && e.data().get("license_id") instanceof String id) {
        engine.state =
            engine.state.withRevoked(id, String.valueOf(e.data().getOrDefault("reason", "")));
      }
    }
    engine.sessionFlags.add(StandingFlag.STATE_RESET);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("status", loaded.status().name());
    data.put("detail", loaded.detail());
    data.put("high_water", floor.toString());
    return new AuditEvent(null, "state_reset", data);
  }

  private void writeInitialState(GuardedTime t) {
    try {
      engine.state = engine.store.write(engine.state);
    } catch (UncheckedIOException e) {
      engine.warnCannotWrite(e);
    }
    engine.persistedHighWater = t.effective();
  }

  private static Optional<Instant> latest(Optional<Instant> a, Optional<Instant> b) {
    return Stream.of(a, b).flatMap(Optional::stream).max(Instant::compareTo);
  }
}
