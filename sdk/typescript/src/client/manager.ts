import { mkdirSync, statSync } from "node:fs";
import type { KeyRing } from "../crypto/keys.js";
import { ClientError, UsageLimitError } from "../errors.js";
import { normalizeDomain } from "../license/domain.js";
import type { License } from "../license/license.js";
import type { Mode } from "../lifecycle/policy.js";
import { increase, type UsageDecision, type UsageStanding } from "../lifecycle/usage.js";
import { Zone } from "../lifecycle/zone.js";
import { HOUR, isoInstant, MINUTE, SettableClock, systemClock, type Clock } from "../time.js";
import type { AuditLog } from "./audit.js";
import { resolveCheckIn, type CheckInSettings } from "./checkin.js";
import { CheckInFlow, type CheckInResult } from "./checkin-flow.js";
import { Engine } from "./engine.js";
import { Installer, type InstallResult } from "./installer.js";
import { grantOf, NO_LICENSE_TEXT, type BannerView, type ClientStanding } from "./standing.js";

export const DEFAULT_ROLLBACK_TOLERANCE_MS = HOUR;
export const MAX_ROLLBACK_TOLERANCE_MS = 7 * 24 * HOUR;
export const REFRESH_INTERVAL_MS = MINUTE;
export const MIN_REFRESH_DELAY_MS = 100;

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

export type DismissOutcome = "HIDDEN" | "COLLAPSED_TO_PILL" | "NOT_DISMISSIBLE" | "NOTHING_TO_DISMISS";

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
  private readonly engine: Engine;
  private readonly installer: Installer;
  private readonly checkIns: CheckInFlow | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private checkInTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly usageProbe: boolean;

  constructor(options: LicenseManagerOptions) {
    if (!options.stateDir) throw new ClientError("stateDir is required: where the client keeps its licenses and state");
    if (!options.trustedKeys || options.trustedKeys.size === 0) {
      throw new ClientError("trustedKeys is required and must hold at least one public key");
    }
    const tolerance = options.rollbackToleranceMs ?? DEFAULT_ROLLBACK_TOLERANCE_MS;
    if (!(tolerance >= 0 && tolerance <= MAX_ROLLBACK_TOLERANCE_MS)) {
      throw new ClientError(`rollbackToleranceMs must be between 0 and ${MAX_ROLLBACK_TOLERANCE_MS}, was ${tolerance}`);
    }
    let instanceDomain: string | undefined;
    try {
      instanceDomain = options.instanceDomain === undefined ? undefined : normalizeDomain(options.instanceDomain);
    } catch (e) {
      throw new ClientError(`instanceDomain: ${(e as Error).message}`);
    }
    const zone = options.zone === undefined ? Zone.system() : typeof options.zone === "string" ? Zone.of(options.zone) : options.zone;
    const readOnly = options.readOnly === true;
    this.engine = new Engine(options.stateDir, options.trustedKeys, instanceDomain, zone, readOnly);
    this.installer = new Installer(this.engine, options.usage);
    this.usageProbe = options.usage !== undefined;
    this.checkIns = options.checkIn ? new CheckInFlow(this.engine, this.installer, resolveCheckIn(options.checkIn), options.usage) : undefined;
    if (!readOnly) {
      try {
        mkdirSync(options.stateDir, { recursive: true });
        this.engine.history.createDirectory();
      } catch (e) {
        throw new ClientError(`cannot create the state directory ${options.stateDir}: ${(e as Error).message}`);
      }
    } else if (!isDirectory(options.stateDir)) {
      throw new ClientError(`no state directory at ${options.stateDir}`);
    }
    const clock = options.clock ?? systemClock;
    const monotonic = options.monotonic ?? (clock instanceof SettableClock ? () => clock.monotonic() : () => performance.now());
    this.engine.locked(() => {
      this.engine.start(() => clock.now(), monotonic, tolerance);
      this.engine.reloadUsage();
      this.engine.publish(this.engine.now());
    });
    if ((options.background ?? true) && !readOnly) {
      this.engine.afterPublish = () => this.scheduleRefresh();
      this.scheduleRefresh();
      if (this.checkIns) this.scheduleCheckIn(0);
    }
  }

  // ------------------------------------------------------------------ hot path

  /** Whether the license in force grants `feature` and the product is not locked. */
  allows(feature: string): boolean {
    return this.engine.snapshot.features.has(feature);
  }

  /** FULL, READ_ONLY (grace of a read-only policy) or LOCKED. */
  mode(): Mode {
    return this.engine.snapshot.mode;
  }

  /** A named limit (`[license.limits]`, or `seats`); UNLIMITED when not set; 0 for every name without a license. */
  limit(name: string): number {
    const s = this.engine.snapshot;
    const v = s.limits.get(name);
    return v !== undefined ? v : s.absentLimit;
  }

  // ------------------------------------------------------------------ usage

  /**
   * Records the product's current usage per limit in the state directory (`usage.json`, signed like the state):
   * install paths check a downgrade against it, and the standing gains a banner when a limit is exceeded.
   * Throws ClientError for a negative value or a name that is no limit name.
   */
  reportUsage(usage: Readonly<Record<string, number>>): UsageStanding {
    const engine = this.engine;
    engine.requireWritable("record usage");
    return engine.locked(() => {
      const t = engine.now();
      try {
        engine.recordUsage(usage, t.effective);
      } catch (e) {
        if (e instanceof RangeError) throw new ClientError(`reportUsage: ${e.message}`);
        throw e;
      }
      return engine.publish(t).usage;
    });
  }

  /**
   * May usage of `limit` rise by `by`? Refused only past the limit plus its overage allowance. Usage comes from the
   * probe when there is one, else from the last `reportUsage`.
   */
  checkIncrease(limit: string, by: number): UsageDecision {
    if (this.usageProbe) this.reportUsage(Object.fromEntries(this.installer.currentUsage()));
    const engine = this.engine;
    return engine.locked(() => {
      const t = engine.now();
      const current = engine.usageRecord.current[limit] ?? 0;
      const inForce = engine.history.inForce(t.effective);
      if (!inForce || engine.state.revoked[inForce.signed.license.id] !== undefined) {
        return { allowed: false, limit, usage: current, after: current + Math.max(by, 0), ceiling: 0, message: NO_LICENSE_TEXT };
      }
      try {
        return increase(grantOf(inForce.signed.license), limit, current, by);
      } catch (e) {
        throw new ClientError(`checkIncrease: ${(e as Error).message}`);
      }
    });
  }

  /** `checkIncrease`, throwing UsageLimitError when refused; nothing was changed. */
  requireIncrease(limit: string, by: number): void {
    const decision = this.checkIncrease(limit, by);
    if (!decision.allowed) throw new UsageLimitError(decision);
  }

  // ------------------------------------------------------------------ standing

  /** The standing now: the lifecycle of the license in force at the guarded time, plus flags. */
  standing(): ClientStanding {
    const engine = this.engine;
    return engine.locked(() => {
      engine.history.reloadIfChanged();
      return engine.publish(engine.now());
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
    const engine = this.engine;
    engine.requireWritable("dismiss a banner");
    return engine.locked(() => {
      const t = engine.now();
      let s = engine.publish(t);
      const b = s.banner;
      if (b.dismissal === "NONE") return { outcome: "NOTHING_TO_DISMISS", banner: b };
      if (b.dismissal === "NOT_DISMISSIBLE") return { outcome: "NOT_DISMISSIBLE", banner: b };
      if (b.display === "SHOWN") {
        const licenseId = (s.license as License).id;
        engine.record(undefined, (st) => ({
          ...st,
          // Only the license's own dismissals are kept; older licenses' are done.
          dismissals: { [licenseId]: { ...(st.dismissals[licenseId] ?? {}), [b.stageId]: isoInstant(t.effective) } },
        }));
        s = engine.publish(t);
      }
      return { outcome: b.dismissal === "TO_PILL" ? "COLLAPSED_TO_PILL" : "HIDDEN", banner: s.banner };
    });
  }

  // ------------------------------------------------------------------ install

  /** Installs a license file from disk; see `install`. */
  installFile(file: string): InstallResult {
    this.engine.requireWritable("install a license");
    return this.installer.installFile(file);
  }

  /**
   * Verifies and installs a license: signature, instance, validity now, not revoked, and limits against current
   * usage (a license that lowers a limit below usage is refused with USAGE_EXCEEDS_LIMITS). Then the file is
   * written atomically, the snapshot swapped (a locked product unlocks at once) and the install audited. A rejected
   * install changes nothing but the audit log.
   */
  install(text: string): InstallResult {
    if (typeof text !== "string") throw new TypeError("install() takes the license file's text");
    this.engine.requireWritable("install a license");
    return this.installer.install(text);
  }

  // ------------------------------------------------------------------ check-in

  /**
   * Checks in with the server now. A newer license in the answer installs itself; a revocation locks; a network
   * failure or an answer outside the contract changes nothing.
   */
  async checkIn(): Promise<CheckInResult> {
    if (!this.checkIns) return { outcome: "NOT_CONFIGURED", message: "no check-in server is configured", install: undefined, nextCheckInMs: 0 };
    return this.checkIns.checkIn();
  }

  /**
   * What a renewal request to the vendor's server carries: the check-in token of the license in force and this
   * installation's id. Undefined without a license. For the web module's "Renew"; the browser never sees it.
   */
  renewalCredentials(): { token: string; instanceId: string | undefined } | undefined {
    const engine = this.engine;
    return engine.locked(() => {
      engine.history.reloadIfChanged();
      const license = engine.history.inForce(engine.now().effective);
      if (!license) return undefined;
      return { token: license.signed.checkInToken(), instanceId: engine.readOnly ? undefined : engine.instanceId() };
    });
  }

  // ------------------------------------------------------------------ audit, lifecycle

  auditLog(): AuditLog {
    return this.engine.audit;
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

  /** Until the snapshot's next change, at most a minute and at least 100 ms. */
  nextRefreshDelayMs(): number {
    const until = this.engine.snapshot.validUntil;
    if (until === undefined) return REFRESH_INTERVAL_MS;
    return Math.min(REFRESH_INTERVAL_MS, Math.max(MIN_REFRESH_DELAY_MS, until - this.engine.mark()));
  }

  /** One pending refresh at a time, moved whenever a new snapshot is published. */
  /** The record keyturn install checks a downgrade against; a failing probe must not stop the refresh. */
  private recordProbe(): void {
    try {
      this.reportUsage(Object.fromEntries(this.installer.currentUsage()));
    } catch (e) {
      process.emitWarning(`the usage probe failed; usage not recorded: ${(e as Error).message}`, "KeyturnWarning");
    }
  }

  private scheduleRefresh(): void {
    if (this.closed) return;
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      try {
        if (this.usageProbe) this.recordProbe();
        this.refresh(); // publishes, which plans the next refresh
      } catch (e) {
        process.emitWarning(`license refresh failed; retrying in a minute: ${(e as Error).message}`, "KeyturnWarning");
        this.scheduleRefresh();
      }
    }, this.nextRefreshDelayMs());
    this.refreshTimer.unref();
  }

  private scheduleCheckIn(delayMs: number): void {
    const flow = this.checkIns;
    if (this.closed || !flow) return;
    this.checkInTimer = setTimeout(() => {
      flow.checkIn().then(
        (r) => this.scheduleCheckIn(r.nextCheckInMs),
        () => this.scheduleCheckIn(flow.settings.retryAfterFailureMs),
      );
    }, delayMs);
    this.checkInTimer.unref();
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
