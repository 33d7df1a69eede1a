import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { KeyRing } from "../crypto/keys.js";
import { ClientError } from "../errors.js";
import type { Zone } from "../lifecycle/zone.js";
import { MINUTE, isoInstant } from "../time.js";
import { AuditLog } from "./audit.js";
import { atomicWrite } from "./files.js";
import { ClockGuard, type GuardedTime } from "./guard.js";
import { LicenseHistory } from "./history.js";
import { EMPTY_USAGE, HEARTBEAT_MS, loadUsage, withReport, writeUsage, type UsageRecord } from "./usage-store.js";
import { evaluateClient, NOTHING, type ClientStanding, type Snapshot, type StandingFlag } from "./standing.js";
import { highWaterOf, initialState, sortedJson, StateStore, withHighWater, type Loaded, type PersistentState } from "./state.js";

export const HIGH_WATER_PERSIST_INTERVAL_MS = 10 * MINUTE;
export const INSTANCE_ID_FILE = "instance.id";

/** An audit entry about to be written. */
export interface AuditEvent {
  readonly at: number;
  readonly name: string;
  readonly data: Record<string, unknown>;
}

/**
 * The mutable heart of a LicenseManager (as Java's `Engine`): the state, the guard, the license history, and the few
 * operations everything else is built from: read the guarded time, record an event, publish a new snapshot.
 */
export class Engine {
  /** The hot path's only read. */
  snapshot: Snapshot = NOTHING;
  readonly store: StateStore;
  readonly history: LicenseHistory;
  readonly audit: AuditLog;
  readonly sessionFlags = new Set<StandingFlag>();
  state!: PersistentState;
  private guard!: ClockGuard;
  private persistedHighWater = 0;
  private rollbackReported = false;
  /** The usage the product last reported, and each month's maxima (`usage.json`). */
  usageRecord: UsageRecord = EMPTY_USAGE;

  /** Takes the usage record from disk when it can be trusted (another process may have written it). */
  reloadUsage(): void {
    const loaded = loadUsage(this.store);
    if (loaded.status === "OK" && loaded.record) this.usageRecord = loaded.record;
  }

  /** Records reported usage; writes `usage.json` when it changed, a maximum rose, or the record is an hour old. */
  recordUsage(usage: Readonly<Record<string, number>>, at: number): void {
    if (this.readOnly) {
      this.usageRecord = withReport(this.usageRecord, usage, at);
      return;
    }
    this.reloadUsage();
    const next = withReport(this.usageRecord, usage, at);
    const changed =
      sortedJson(next.current) !== sortedJson(this.usageRecord.current) ||
      sortedJson(next.months) !== sortedJson(this.usageRecord.months) ||
      at >= Date.parse(this.usageRecord.recorded_at) + HEARTBEAT_MS;
    if (changed) {
      writeUsage(this.store, next);
      this.usageRecord = next;
    }
  }

  /** Called after every publish; the manager plans its next refresh there. */
  afterPublish: () => void = () => {};

  constructor(
    readonly stateDir: string,
    readonly trustedKeys: KeyRing,
    readonly instanceDomain: string | undefined,
    readonly zone: Zone,
    readonly readOnly: boolean,
  ) {
    this.store = new StateStore(stateDir);
    this.audit = new AuditLog(stateDir);
    this.history = new LicenseHistory(stateDir, trustedKeys, instanceDomain);
  }

  /** Serializes with other processes; a read-only engine takes no lock (and writes nothing). */
  locked<T>(action: () => T): T {
    return this.readOnly ? action() : this.store.locked(action);
  }

  requireWritable(what: string): void {
    if (this.readOnly) throw new ClientError(`this LicenseManager is read-only; it cannot ${what}`);
  }

  /** Loads the state, or rebuilds it from evidence, and starts the guard from the latest time evidence proves. */
  start(clock: () => number, monotonic: () => number, toleranceMs: number): void {
    this.history.reloadIfChanged();
    const tail = this.audit.tail();
    const loaded = this.store.load();
    const evidence = latest(tail.lastAt, this.history.latestIssuedAt());
    let floor: number;
    let finding: Omit<AuditEvent, "at"> | undefined;
    if (loaded.status === "OK" && loaded.state) {
      this.state = loaded.state;
      floor = latest(highWaterOf(this.state), evidence) as number;
      finding = this.auditLogMismatch(tail.lines);
    } else {
      floor = evidence ?? 0;
      this.state = initialState(floor, tail.hash, tail.lines);
      const firstUse = loaded.status === "FRESH" && this.history.all().length === 0 && tail.lines === 0;
      finding = firstUse ? undefined : this.rebuildFromEvidence(loaded, floor);
    }
    this.guard = new ClockGuard(clock, monotonic, toleranceMs, floor);
    const t = this.guard.observe();
    this.state = withHighWater(this.state, t.effective);
    if (!this.readOnly) {
      try {
        this.state = this.store.write(this.state);
      } catch (e) {
        warnCannotWrite(this.stateDir, e);
      }
      this.persistedHighWater = t.effective;
      if (finding) this.record({ at: t.effective, ...finding }, (s) => s);
      if (t.rollback) {
        this.rollbackReported = true;
        this.record(rollbackEvent(t), (s) => s);
      }
    }
    for (const [file, why] of this.history.ignored) {
      process.emitWarning(`ignoring installed license file ${file}: ${why}`, "KeyturnWarning");
    }
    this.publish(t);
  }

  /** The log must still hold, unchanged, the last line the state file recorded. */
  private auditLogMismatch(lines: number): Omit<AuditEvent, "at"> | undefined {
    const s = this.state;
    const intact = lines >= s.audit_lines && (s.audit_lines === 0 || s.audit_head === this.audit.hashOfLine(s.audit_lines));
    if (intact) return undefined;
    return { name: "audit_log_broken", data: { detail: this.audit.verify({ lines: s.audit_lines, hash: s.audit_head }).message } };
  }

  /** Time from the audit log and the licenses, revocations from the audit log; dismissals are lost. */
  private rebuildFromEvidence(loaded: Loaded, floor: number): Omit<AuditEvent, "at"> {
    for (const e of this.audit.entries()) {
      if (e.event === "revoked" && typeof e.data["license_id"] === "string") {
        const id = e.data["license_id"];
        this.state = { ...this.state, revoked: { ...this.state.revoked, [id]: String(e.data["reason"] ?? "") } };
      }
    }
    this.sessionFlags.add("STATE_RESET");
    return { name: "state_reset", data: { status: loaded.status, detail: loaded.detail, high_water: isoInstant(floor) } };
  }

  /** Reads the guarded time; audits a rollback when it starts and ends; persists the mark every 10 minutes. */
  now(): GuardedTime {
    const t = this.guard.observe();
    if (this.readOnly) return t;
    if (t.rollback && !this.rollbackReported) {
      this.rollbackReported = true;
      this.record(rollbackEvent(t), (s) => s);
    } else if (!t.rollback && this.rollbackReported) {
      this.rollbackReported = false;
      this.record({ at: t.effective, name: "clock_restored", data: { clock: isoInstant(t.clock) } }, (s) => s);
    } else if (t.effective >= this.persistedHighWater + HIGH_WATER_PERSIST_INTERVAL_MS) {
      this.record(undefined, (s) => s);
    }
    return t;
  }

  /** The high-water mark: the latest guarded time seen. */
  mark(): number {
    return this.guard.mark();
  }

  /** Evaluates the license in force at `t` and swaps in the new snapshot. */
  publish(t: GuardedTime): ClientStanding {
    const at = t.effective;
    const inForce = this.history.inForce(at);
    const upcoming = this.history.nextToStart(at);
    const e = evaluateClient(
      inForce ?? upcoming,
      upcoming?.signed.license.notBefore,
      t,
      this.state,
      this.sessionFlags,
      this.zone,
      new Map(Object.entries(this.usageRecord.current)),
    );
    this.snapshot = e.snapshot;
    this.auditStage(e.standing);
    this.afterPublish();
    return e.standing;
  }

  /** Each stage a license enters is audited once: when the product locked is then on record. */
  private auditStage(s: ClientStanding): void {
    if (this.readOnly || !s.license || !s.stageId) return;
    const key = `${s.license.id}/${s.stageId}`;
    if (key === this.state.last_stage) return;
    this.record(
      { at: s.evaluatedAt, name: "stage_entered", data: { license_id: s.license.id, stage: s.stageId, phase: s.phase, mode: s.mode } },
      (st) => ({ ...st, last_stage: key }),
    );
  }

  /**
   * An audit entry (optional) and a state change, written together under the lock. A disk that cannot be written
   * must not take the product down: the change is then kept in memory and the failure reported as a warning.
   */
  record(event: AuditEvent | undefined, change: (s: PersistentState) => PersistentState): void {
    if (this.readOnly) {
      this.state = change(this.state);
      return;
    }
    try {
      this.locked(() => {
        let base = this.currentBase();
        if (event) {
          const tail = this.audit.append(event.at, event.name, event.data);
          base = { ...base, audit_lines: tail.lines, audit_head: tail.hash };
        }
        this.state = this.store.write(change(withHighWater(base, this.guard.mark())));
        this.persistedHighWater = highWaterOf(this.state);
      });
    } catch (e) {
      this.state = change(withHighWater(this.state, this.guard.mark()));
      this.persistedHighWater = this.guard.mark();
      warnCannotWrite(this.stateDir, e);
    }
  }

  /** The file as it is now (another process may have written it), or our own copy if it was deleted or replaced. */
  private currentBase(): PersistentState {
    const current = this.store.load();
    if (current.status === "OK" && current.state) return current.state;
    const tail = this.audit.append(this.guard.mark(), "state_reset", { status: current.status, detail: current.detail });
    this.sessionFlags.add("STATE_RESET");
    return { ...this.state, audit_lines: tail.lines, audit_head: tail.hash };
  }

  /** A random id made once per state directory, kept in `instance.id`. */
  instanceId(): string {
    const file = join(this.stateDir, INSTANCE_ID_FILE);
    try {
      const existing = readFileSync(file, "utf8").trim();
      if (/^[A-Za-z0-9._-]{8,64}$/.test(existing)) return existing;
    } catch {
      // Not made yet.
    }
    const id = "ki_" + randomUUID().replace(/-/g, "");
    atomicWrite(file, id);
    return id;
  }
}

function rollbackEvent(t: GuardedTime): AuditEvent {
  return {
    at: t.effective,
    name: "clock_rollback",
    data: { clock: isoInstant(t.clock), high_water: isoInstant(t.effective), behind_seconds: Math.floor(t.behindMs / 1000) },
  };
}

function latest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

function warnCannotWrite(dir: string, e: unknown): void {
  process.emitWarning(`cannot write the license state in ${dir}; continuing from memory: ${(e as Error).message}`, "KeyturnWarning");
}
