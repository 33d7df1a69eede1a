import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { KeyRing } from "../crypto/keys.js";
import { ClientError, type VerificationCode } from "../errors.js";
import { normalizeDomain } from "../license/domain.js";
import type { License } from "../license/license.js";
import { DEFAULT_READ_LIMITS } from "../license/reader.js";
import type { Mode } from "../lifecycle/policy.js";
import { Zone } from "../lifecycle/zone.js";
import { HOUR, isoInstant, MINUTE, SettableClock, systemClock, type Clock } from "../time.js";
import { verify } from "../verify.js";
import { AuditLog } from "./audit.js";
import { bounded, resolveCheckIn, sendCheckIn, type CheckInReply, type CheckInSettings, type ResolvedCheckIn } from "./checkin.js";
import { atomicWrite, readBounded } from "./files.js";
import { ClockGuard, type GuardedTime } from "./guard.js";
import { compareNewest, LicenseHistory, LICENSE_SUFFIX, type InstalledLicense } from "./history.js";
import {
  DEFAULT_PAYMENT_TEXT,
  describeExcess,
  evaluateClient,
  excesses,
  NOTHING,
  type BannerView,
  type ClientStanding,
  type LimitExcess,
  type Snapshot,
  type StandingFlag,
} from "./standing.js";
import { highWaterOf, initialState, StateStore, withHighWater, type Loaded, type PersistentState } from "./state.js";

export const DEFAULT_ROLLBACK_TOLERANCE_MS = HOUR;
export const MAX_ROLLBACK_TOLERANCE_MS = 7 * 24 * HOUR;
export const HIGH_WATER_PERSIST_INTERVAL_MS = 10 * MINUTE;
export const REFRESH_INTERVAL_MS = MINUTE;
export const MIN_REFRESH_DELAY_MS = 100;
export const INSTANCE_ID_FILE = "instance.id";
const MAX_AUDITED_MESSAGE = 500;

export interface LicenseManagerOptions {
  /** Where licenses, state, audit log and secret live; created if missing. */
  readonly stateDir: string;
  /** The vendor's public keys, by key id; at least one. */
  readonly trustedKeys: KeyRing;
  /** This installation's domain; licenses bound to another are refused. */
  readonly instanceDomain?: string;
  /** Current usage per limit name, asked on install (a downgrade must fit) and sent on check-in. */
  readonly usage?: () => Readonly<Record<string, number>>;
  /** Defaults to the system clock. */
  readonly clock?: Clock;
  /** A monotonic reading in ms; defaults to the SettableClock's own, else `performance.now()`. */
  readonly monotonic?: () => number;
  /** How far behind the high-water mark the clock may be before it counts as a rollback (default 1 h). */
  readonly rollbackToleranceMs?: number;
  /** The zone banner texts write dates in; defaults to the machine's. */
  readonly zone?: Zone | string;
  /** Enables online check-in. Leave out for air-gapped installs. */
  readonly checkIn?: CheckInSettings;
  /** Refresh the snapshot and check in on timers (default true; unref'd, so they never keep a process alive). */
  readonly background?: boolean;
  /** Read the state directory without writing anything (for `keyturn status`); install, dismiss and check-in throw. */
  readonly readOnly?: boolean;
}

/** What `install` did. `VALID` means installed; every other code means rejected, with nothing changed. */
export interface InstallResult {
  readonly code: VerificationCode;
  readonly message: string;
  readonly license: License | undefined;
  readonly excesses: readonly LimitExcess[];
  /** Whether the license is now the one in force. */
  readonly inForce: boolean;
  readonly installed: boolean;
}

export type DismissOutcome = "HIDDEN" | "COLLAPSED_TO_PILL" | "NOT_DISMISSIBLE" | "NOTHING_TO_DISMISS";

export type CheckInOutcome =
  | "OK"
  | "RENEWED"
  | "LICENSE_REJECTED"
  | "REVOKED"
  | "UNKNOWN_LICENSE"
  | "INSTANCE_CONFLICT"
  | "NETWORK_FAILURE"
  | "SERVER_ERROR"
  | "NO_LICENSE"
  | "NOT_CONFIGURED";

export interface CheckInResult {
  readonly outcome: CheckInOutcome;
  readonly message: string;
  readonly install: InstallResult | undefined;
  /** When to check in again: the server's `check_in_after` (bounded), the interval, or the retry delay. */
  readonly nextCheckInMs: number;
}

function installResult(
  code: VerificationCode,
  message: string,
  license: License | undefined,
  excess: readonly LimitExcess[] = [],
  inForce = false,
): InstallResult {
  return Object.freeze({ code, message, license, excesses: excess, inForce, installed: code === "VALID" });
}

/**
 * The license runtime a product embeds: installs license files, says what the license in force allows, and keeps
 * that answer honest against clock turn-backs, crashes and outages. The same behaviour, files and audit entries as
 * the Java client's `LicenseManager`.
 *
 * The license in force is the newest valid installed license. `allows`, `mode` and `limit` read one precomputed
 * immutable snapshot: no I/O, no clock read. It is rebuilt on every install, dismissal and check-in, and when the
 * standing next changes (a timer, at least once a minute); without `background`, call `refresh()`.
 */
export class LicenseManager {
  private snapshot: Snapshot = NOTHING;
  private readonly store: StateStore;
  private readonly history: LicenseHistory;
  private readonly audit: AuditLog;
  private readonly zone: Zone;
  private readonly instanceDomain: string | undefined;
  private readonly checkInSettings: ResolvedCheckIn | undefined;
  private readonly sessionFlags = new Set<StandingFlag>();
  private guard!: ClockGuard;
  private state!: PersistentState;
  private persistedHighWater = 0;
  private rollbackReported = false;
  private refreshTimer: NodeJS.Timeout | undefined;
  private checkInTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: LicenseManagerOptions) {
    if (!options.stateDir) throw new ClientError("stateDir is required: where the client keeps its licenses and state");
    if (!options.trustedKeys || options.trustedKeys.size === 0) {
      throw new ClientError("trustedKeys is required and must hold at least one public key");
    }
    const tolerance = options.rollbackToleranceMs ?? DEFAULT_ROLLBACK_TOLERANCE_MS;
    if (!(tolerance >= 0 && tolerance <= MAX_ROLLBACK_TOLERANCE_MS)) {
      throw new ClientError(`rollbackToleranceMs must be between 0 and ${MAX_ROLLBACK_TOLERANCE_MS}, was ${tolerance}`);
    }
    try {
      this.instanceDomain = options.instanceDomain === undefined ? undefined : normalizeDomain(options.instanceDomain);
    } catch (e) {
      throw new ClientError(`instanceDomain: ${(e as Error).message}`);
    }
    this.zone = options.zone === undefined ? Zone.system() : typeof options.zone === "string" ? Zone.of(options.zone) : options.zone;
    this.checkInSettings = options.checkIn ? resolveCheckIn(options.checkIn) : undefined;
    this.store = new StateStore(options.stateDir);
    this.audit = new AuditLog(options.stateDir);
    this.history = new LicenseHistory(options.stateDir, options.trustedKeys, this.instanceDomain);
    if (!this.readOnly) {
      try {
        mkdirSync(options.stateDir, { recursive: true });
        this.history.createDirectory();
      } catch (e) {
        throw new ClientError(`cannot create the state directory ${options.stateDir}: ${(e as Error).message}`);
      }
    } else if (!isDirectory(options.stateDir)) {
      throw new ClientError(`no state directory at ${options.stateDir}`);
    }
    const clock = options.clock ?? systemClock;
    const monotonic =
      options.monotonic ?? (clock instanceof SettableClock ? () => clock.monotonic() : () => performance.now());
    this.locked(() => this.start(() => clock.now(), monotonic, tolerance));
    if ((options.background ?? true) && !this.readOnly) {
      this.scheduleRefresh();
      if (this.checkInSettings) this.scheduleCheckIn(0);
    }
  }

  private get readOnly(): boolean {
    return this.options.readOnly === true;
  }

  // ------------------------------------------------------------------ hot path

  /** Whether the license in force grants `feature` and the product is not locked. */
  allows(feature: string): boolean {
    return this.snapshot.features.has(feature);
  }

  /** FULL, READ_ONLY (grace of a read-only policy) or LOCKED. */
  mode(): Mode {
    return this.snapshot.mode;
  }

  /** A named limit (`[license.limits]`, or `seats`); UNLIMITED when not set; 0 for every name without a license. */
  limit(name: string): number {
    const v = this.snapshot.limits.get(name);
    return v !== undefined ? v : this.snapshot.absentLimit;
  }

  // ------------------------------------------------------------------ standing

  /** The standing now: the lifecycle of the license in force at the guarded time, plus flags. */
  standing(): ClientStanding {
    return this.locked(() => {
      this.history.reloadIfChanged();
      return this.publish(this.now());
    });
  }

  /** Re-reads the license history (another process may have installed one) and rebuilds the snapshot. */
  refresh(): void {
    this.standing();
  }

  /**
   * Dismisses the banner being shown, by the rules of its stage: D-30 until the next stage, D-15 for 24 hours, D-7
   * into a pill, D-1 and later not at all. Persisted per (license, stage), so it holds across restarts.
   */
  dismiss(): { outcome: DismissOutcome; banner: BannerView } {
    this.requireWritable("dismiss a banner");
    return this.locked(() => {
      const t = this.now();
      let s = this.publish(t);
      const b = s.banner;
      if (b.dismissal === "NONE") return { outcome: "NOTHING_TO_DISMISS", banner: b };
      if (b.dismissal === "NOT_DISMISSIBLE") return { outcome: "NOT_DISMISSIBLE", banner: b };
      if (b.display === "SHOWN") {
        const licenseId = (s.license as License).id;
        this.record(undefined, (st) => ({
          ...st,
          // Only the license's own dismissals are kept; older licenses' are done.
          dismissals: { [licenseId]: { ...(st.dismissals[licenseId] ?? {}), [b.stageId]: isoInstant(t.effective) } },
        }));
        s = this.publish(t);
      }
      return { outcome: b.dismissal === "TO_PILL" ? "COLLAPSED_TO_PILL" : "HIDDEN", banner: s.banner };
    });
  }

  // ------------------------------------------------------------------ install

  /** Installs a license file from disk; see `install`. */
  installFile(file: string): InstallResult {
    this.requireWritable("install a license");
    let bytes: Buffer;
    try {
      bytes = readBounded(file, DEFAULT_READ_LIMITS.maxFileBytes);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return installResult("MALFORMED", code === "ENOENT" ? `no such file: ${file}` : `cannot read ${file}: ${(e as Error).message}`, undefined);
    }
    if (bytes.length > DEFAULT_READ_LIMITS.maxFileBytes) return this.install(bytes.toString("latin1")); // the reader names the limit
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      return installResult("MALFORMED", `${file} is not UTF-8 text`, undefined);
    }
    return this.install(text);
  }

  /**
   * Verifies and installs a license: signature, instance, validity now, not revoked, and limits against current
   * usage (a license that lowers a limit below usage is refused with USAGE_EXCEEDS_LIMITS). Then the file is
   * written atomically, the snapshot swapped (a locked product unlocks at once) and the install audited. A rejected
   * install changes nothing but the audit log.
   */
  install(text: string): InstallResult {
    if (typeof text !== "string") throw new TypeError("install() takes the license file's text");
    this.requireWritable("install a license");
    return this.locked(() => this.installLocked(text));
  }

  private installLocked(text: string): InstallResult {
    this.history.reloadIfChanged();
    const t = this.now();
    const v = verify(text, this.options.trustedKeys, { at: t.effective, instanceDomain: this.instanceDomain });
    const license = v.license?.license;
    if (!v.valid || !v.license || !license) return this.reject(t, v.code, v.message, license);
    const revoked = this.state.revoked[license.id];
    if (revoked !== undefined) {
      return this.reject(t, "REVOKED", `the vendor revoked license ${license.id} (${revoked}); it cannot be installed`, license);
    }
    const candidate: InstalledLicense = { hash: v.license.signatureHash(), signed: v.license };
    const current = this.history.inForce(t.effective);
    if (this.history.contains(candidate.hash)) {
      const inForce = current?.hash === candidate.hash;
      return installResult("VALID", `license ${license.id} is already installed${inForce ? " and in force" : ""}`, license, [], inForce);
    }
    const becomesInForce = !current || compareNewest(candidate, current) > 0;
    if (becomesInForce) {
      const excess = excesses(current?.signed.license, license, this.currentUsage());
      if (excess.length > 0) {
        return this.reject(
          t,
          "USAGE_EXCEEDS_LIMITS",
          `license ${license.id} lowers limits below current usage: ${excess.map(describeExcess).join("; ")}. Reduce usage first, or ask your vendor for a license with higher limits`,
          license,
          excess,
        );
      }
    }
    try {
      this.history.add(candidate, text);
    } catch (e) {
      throw new ClientError(`cannot write the license into ${this.history.dir}: ${(e as Error).message}`);
    }
    this.publish(t);
    this.record(
      {
        at: t.effective,
        name: "installed",
        data: {
          license_id: license.id,
          file: candidate.hash + LICENSE_SUFFIX,
          tier: license.tier,
          expires_at: isoInstant(license.expiresAt),
          in_force: becomesInForce,
        },
      },
      (s) => s,
    );
    const message = becomesInForce
      ? `installed license ${license.id} for ${license.customer}, valid until ${isoInstant(license.expiresAt)}`
      : `installed license ${license.id}, but license ${current?.signed.license.id} expires later and stays in force`;
    return installResult("VALID", message, license, [], becomesInForce);
  }

  private reject(t: GuardedTime, code: VerificationCode, message: string, license?: License, excess: LimitExcess[] = []): InstallResult {
    const data: Record<string, unknown> = { code };
    if (license) data["license_id"] = license.id;
    // Bounded: a reader message may quote the rejected input.
    data["message"] = message.length > MAX_AUDITED_MESSAGE ? message.slice(0, MAX_AUDITED_MESSAGE) + "…" : message;
    this.record({ at: t.effective, name: "install_rejected", data }, (s) => s);
    return installResult(code, message, license, excess);
  }

  private currentUsage(): ReadonlyMap<string, number> {
    try {
      const u = this.options.usage?.() ?? {};
      return new Map(Object.entries(u).filter(([, v]) => typeof v === "number"));
    } catch (e) {
      throw new ClientError(`the usage probe failed, so limits cannot be checked: ${(e as Error).message}`);
    }
  }

  // ------------------------------------------------------------------ check-in

  /**
   * Checks in with the server now. A newer license in the answer installs itself; a revocation locks; a network
   * failure or an answer outside the contract changes nothing.
   */
  async checkIn(): Promise<CheckInResult> {
    const settings = this.checkInSettings;
    if (!settings) return { outcome: "NOT_CONFIGURED", message: "no check-in server is configured", install: undefined, nextCheckInMs: 0 };
    this.requireWritable("check in");
    const prepared = this.locked(() => {
      this.history.reloadIfChanged();
      const license = this.history.inForce(this.now().effective);
      if (!license) return undefined;
      let used: Readonly<Record<string, number>> = {};
      try {
        used = this.options.usage?.() ?? {};
      } catch {
        // Usage is informational here; the check-in still matters.
      }
      return {
        license,
        request: {
          license_id: license.signed.license.id,
          instance_id: this.instanceId(),
          instance_domain: this.instanceDomain ?? null,
          usage: used,
          client_version: settings.clientVersion,
        },
      };
    });
    if (!prepared) {
      return {
        outcome: "NO_LICENSE",
        message: "no license is installed, so there is nothing to check in with",
        install: undefined,
        nextCheckInMs: settings.intervalMs,
      };
    }
    let reply: CheckInReply;
    try {
      reply = await sendCheckIn(settings, prepared.request, prepared.license.hash);
    } catch (e) {
      return {
        outcome: "NETWORK_FAILURE",
        message: `the check-in server could not be reached (${(e as Error).message}); nothing changed`,
        install: undefined,
        nextCheckInMs: settings.retryAfterFailureMs,
      };
    }
    return this.locked(() => this.applyCheckIn(settings, reply, prepared.license));
  }

  private applyCheckIn(settings: ResolvedCheckIn, reply: CheckInReply, license: InstalledLicense): CheckInResult {
    const t = this.now();
    const id = license.signed.license.id;
    const next = bounded(reply.checkInAfterMs ?? settings.intervalMs);
    const result = (outcome: CheckInOutcome, message: string, install?: InstallResult, nextMs = next): CheckInResult => ({
      outcome,
      message,
      install,
      nextCheckInMs: nextMs,
    });
    switch (reply.kind) {
      case "UNEXPECTED":
        return result(
          "SERVER_ERROR",
          `the check-in server answered outside the contract: ${reply.reason ?? `status ${reply.status}`}; nothing changed`,
          undefined,
          settings.retryAfterFailureMs,
        );
      case "UNKNOWN_LICENSE":
        this.record({ at: t.effective, name: "check_in_unknown_license", data: { license_id: id } }, (s) => s);
        return result("UNKNOWN_LICENSE", `the server does not know license ${id}; nothing changed`);
      case "CONFLICT":
        if (!this.state.instance_conflict) {
          this.record({ at: t.effective, name: "instance_conflict", data: { license_id: id } }, (s) => ({ ...s, instance_conflict: true }));
          this.publish(t);
        }
        return result("INSTANCE_CONFLICT", `the server says another instance holds license ${id}`);
      case "REVOKED": {
        const reason = reply.reason ?? "no reason given";
        if (this.state.revoked[id] === undefined) {
          this.record({ at: t.effective, name: "revoked", data: { license_id: id, reason } }, (s) => ({
            ...s,
            revoked: { ...s.revoked, [id]: reason },
          }));
          this.publish(t);
        }
        const before = this.history.all().length;
        const installed = reply.license === undefined ? undefined : this.installLocked(reply.license);
        const replaced = (installed?.inForce ?? false) && this.history.all().length > before;
        return result(
          replaced ? "RENEWED" : "REVOKED",
          `the vendor revoked license ${id} (${reason})${replaced ? "; the license sent with it is installed" : "; the product is locked"}`,
          installed,
        );
      }
      case "OK": {
        const payment = reply.paymentFailing ? (reply.standingMessage ?? DEFAULT_PAYMENT_TEXT) : null;
        if (payment !== this.state.payment_failing || this.state.instance_conflict) {
          this.record(
            { at: t.effective, name: "server_flags", data: { license_id: id, payment_failing: payment !== null, instance_conflict: false } },
            (s) => ({ ...s, payment_failing: payment, instance_conflict: false }),
          );
          this.publish(t);
        }
        if (reply.license === undefined) return result("OK", `checked in license ${id}`);
        const before = this.history.all().length;
        const installed = this.installLocked(reply.license);
        const newer = installed.inForce && this.history.all().length > before;
        return result(!installed.installed ? "LICENSE_REJECTED" : newer ? "RENEWED" : "OK", installed.message, installed);
      }
    }
  }

  /** A random id made once per state directory, kept in `instance.id`. */
  private instanceId(): string {
    const file = join(this.options.stateDir, INSTANCE_ID_FILE);
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

  /**
   * What a renewal request to the vendor's server carries: the check-in token of the license in force and this
   * installation's id. Undefined without a license. For the web module's "Renew"; the browser never sees it.
   */
  renewalCredentials(): { token: string; instanceId: string | undefined } | undefined {
    return this.locked(() => {
      this.history.reloadIfChanged();
      const license = this.history.inForce(this.now().effective);
      if (!license) return undefined;
      return { token: license.signed.checkInToken(), instanceId: this.readOnly ? undefined : this.instanceId() };
    });
  }

  // ------------------------------------------------------------------ audit, lifecycle

  auditLog(): AuditLog {
    return this.audit;
  }

  /** Stops the timers. The state on disk is always complete; nothing to flush. */
  close(): void {
    this.closed = true;
    clearTimeout(this.refreshTimer);
    clearTimeout(this.checkInTimer);
  }

  [Symbol.dispose](): void {
    this.close();
  }

  // ------------------------------------------------------------------ engine

  private locked<T>(action: () => T): T {
    return this.readOnly ? action() : this.store.locked(action);
  }

  private requireWritable(what: string): void {
    if (this.readOnly) throw new ClientError(`this LicenseManager is read-only; it cannot ${what}`);
  }

  /** Loads the state, or rebuilds it from evidence, and starts the guard from the latest time evidence proves. */
  private start(clock: () => number, monotonic: () => number, tolerance: number): void {
    this.history.reloadIfChanged();
    const tail = this.audit.tail();
    const loaded = this.store.load();
    const evidence = latest(tail.lastAt, this.history.latestIssuedAt());
    let floor: number;
    let finding: { name: string; data: Record<string, unknown> } | undefined;
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
    this.guard = new ClockGuard(clock, monotonic, tolerance, floor);
    const t = this.guard.observe();
    this.state = withHighWater(this.state, t.effective);
    if (!this.readOnly) {
      try {
        this.state = this.store.write(this.state);
      } catch (e) {
        warnCannotWrite(this.options.stateDir, e);
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
  private auditLogMismatch(lines: number): { name: string; data: Record<string, unknown> } | undefined {
    const s = this.state;
    const intact = lines >= s.audit_lines && (s.audit_lines === 0 || s.audit_head === this.audit.hashOfLine(s.audit_lines));
    if (intact) return undefined;
    return { name: "audit_log_broken", data: { detail: this.audit.verify({ lines: s.audit_lines, hash: s.audit_head }).message } };
  }

  /** Time from the audit log and the licenses, revocations from the audit log; dismissals are lost. */
  private rebuildFromEvidence(loaded: Loaded, floor: number): { name: string; data: Record<string, unknown> } {
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
  private now(): GuardedTime {
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

  /** Evaluates the license in force at `t` and swaps in the new snapshot. */
  private publish(t: GuardedTime): ClientStanding {
    const at = t.effective;
    const inForce = this.history.inForce(at);
    const upcoming = this.history.nextToStart(at);
    const e = evaluateClient(inForce ?? upcoming, upcoming?.signed.license.notBefore, t, this.state, this.sessionFlags, this.zone);
    this.snapshot = e.snapshot;
    this.auditStage(e.standing);
    if (this.refreshTimer !== undefined) this.scheduleRefresh();
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
  private record(event: { at: number; name: string; data: Record<string, unknown> } | undefined, change: (s: PersistentState) => PersistentState): void {
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
      warnCannotWrite(this.options.stateDir, e);
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

  /** Until the snapshot's next change, at most a minute and at least 100 ms. */
  nextRefreshDelayMs(): number {
    const until = this.snapshot.validUntil;
    if (until === undefined) return REFRESH_INTERVAL_MS;
    const d = until - this.guard.mark();
    return Math.min(REFRESH_INTERVAL_MS, Math.max(MIN_REFRESH_DELAY_MS, d));
  }

  private scheduleRefresh(): void {
    if (this.closed) return;
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      try {
        this.refresh(); // publishes, which plans the next refresh
      } catch (e) {
        process.emitWarning(`license refresh failed; retrying in a minute: ${(e as Error).message}`, "KeyturnWarning");
        this.scheduleRefresh();
      }
    }, this.nextRefreshDelayMs());
    this.refreshTimer.unref();
  }

  private scheduleCheckIn(delayMs: number): void {
    if (this.closed || !this.checkInSettings) return;
    const retry = this.checkInSettings.retryAfterFailureMs;
    this.checkInTimer = setTimeout(() => {
      this.checkIn().then(
        (r) => this.scheduleCheckIn(r.nextCheckInMs),
        () => this.scheduleCheckIn(retry),
      );
    }, delayMs);
    this.checkInTimer.unref();
  }
}

function rollbackEvent(t: GuardedTime): { at: number; name: string; data: Record<string, unknown> } {
  return {
    at: t.effective,
    name: "clock_rollback",
    data: { clock: isoInstant(t.clock), high_water: isoInstant(t.effective), behind_seconds: Math.floor(t.behindMs / 1000) },
  };
}

function latest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function warnCannotWrite(dir: string, e: unknown): void {
  process.emitWarning(`cannot write the license state in ${dir}; continuing from memory: ${(e as Error).message}`, "KeyturnWarning");
}
