import type { GraceMode, LicensePolicy } from "../license/license.js";
import { DAY } from "../time.js";

export type Phase = "NOT_YET_VALID" | "ACTIVE" | "EXPIRING" | "GRACE" | "LOCKED";
export type Mode = "FULL" | "READ_ONLY" | "LOCKED";
/** In order of severity. */
export const BANNER_LEVELS = ["NONE", "INFO", "WARNING", "DANGER", "LOCK"] as const;
export type BannerLevel = (typeof BANNER_LEVELS)[number];
/** What closing a banner does, in order of insistence. */
export const DISMISSALS = ["NONE", "UNTIL_NEXT_STAGE", "FOR_24H", "TO_PILL", "NOT_DISMISSIBLE"] as const;
export type Dismissal = (typeof DISMISSALS)[number];
/** What the end of grace is called; both are enforced as LOCKED. */
export type LockAction = "LOCK" | "SUSPEND";

export const EXPIRY = "EXPIRY";
export const LOCK = "LOCK";

/** A point in a license's life, relative to its expiry: a reminder (`D-30` … `D-1`), `EXPIRY` or `LOCK`. */
export interface Stage {
  readonly id: string;
  /** From `expires_at`, in ms: negative for reminders, zero for expiry, the grace length for lock. */
  readonly offsetMs: number;
  readonly phase: Phase;
  readonly level: BannerLevel;
  readonly dismissal: Dismissal;
  readonly notice: boolean;
}

export interface Reminder {
  readonly daysBefore: number;
  readonly level: BannerLevel;
  readonly dismissal: Dismissal;
}

export const MAX_GRACE_DAYS = 3650;

/**
 * Lifecycle rules as data: the reminder stages, the grace period and what happens when it ends. Immutable; build
 * custom ones with `Policy.builder(name)`. Presets are just named policies.
 */
export class Policy {
  readonly stages: readonly Stage[];

  private constructor(
    readonly name: string,
    readonly reminders: readonly Reminder[],
    readonly graceDays: number,
    readonly graceMode: GraceMode,
    readonly lockAction: LockAction,
  ) {
    const stages: Stage[] = reminders.map((r) => ({
      id: `D-${r.daysBefore}`,
      offsetMs: -r.daysBefore * DAY,
      phase: "EXPIRING",
      level: r.level,
      dismissal: r.dismissal,
      notice: true,
    }));
    stages.push({ id: EXPIRY, offsetMs: 0, phase: "GRACE", level: "DANGER", dismissal: "NOT_DISMISSIBLE", notice: true });
    stages.push({
      id: LOCK,
      offsetMs: graceDays * DAY,
      phase: "LOCKED",
      level: "LOCK",
      dismissal: "NOT_DISMISSIBLE",
      notice: true,
    });
    this.stages = Object.freeze(stages.map((s) => Object.freeze(s)));
  }

  static builder(name: string): PolicyBuilder {
    return new PolicyBuilder(name);
  }

  /** A preset by name: `appliance` or `subscription`. */
  static preset(name: string): Policy | undefined {
    return name === "appliance" ? APPLIANCE : name === "subscription" ? SUBSCRIPTION : undefined;
  }

  /** The policy a license carries: its preset with the grace it was signed with. */
  static forLicense(p: LicensePolicy): Policy {
    const base = Policy.preset(p.preset);
    if (!base) throw new TypeError(`unknown policy preset '${p.preset}'`);
    return base.withGrace(p.graceDays, p.graceMode);
  }

  withGrace(days: number, mode: GraceMode): Policy {
    if (days === this.graceDays && mode === this.graceMode) return this;
    const b = Policy.builder(this.name).grace(days, mode).lockAction(this.lockAction);
    for (const r of this.reminders) b.reminder(r.daysBefore, r.level, r.dismissal);
    return b.build();
  }

  stage(id: string): Stage | undefined {
    return this.stages.find((s) => s.id === id);
  }

  get gracePeriodMs(): number {
    return this.graceDays * DAY;
  }

  /** @internal */
  static create(name: string, reminders: Reminder[], graceDays: number, mode: GraceMode, action: LockAction): Policy {
    return new Policy(name, Object.freeze(reminders), graceDays, mode, action);
  }
}

/** Validates on build, so every policy keeps the rule that standing only grows more severe. */
export class PolicyBuilder {
  private readonly reminders: Reminder[] = [];
  private graceDays = 0;
  private graceMode: GraceMode = "full";
  private action: LockAction = "LOCK";

  constructor(private readonly name: string) {
    if (!name || !name.trim()) throw new TypeError("a policy needs a name");
  }

  reminder(daysBefore: number, level: BannerLevel, dismissal: Dismissal): this {
    this.reminders.push(Object.freeze({ daysBefore, level, dismissal }));
    return this;
  }

  grace(days: number, mode: GraceMode): this {
    this.graceDays = days;
    this.graceMode = mode;
    return this;
  }

  lockAction(action: LockAction): this {
    this.action = action;
    return this;
  }

  build(): Policy {
    if (!Number.isInteger(this.graceDays) || this.graceDays < 0 || this.graceDays > MAX_GRACE_DAYS) {
      throw new RangeError(`grace days must be 0 to ${MAX_GRACE_DAYS}, was ${this.graceDays}`);
    }
    const sorted = [...this.reminders].sort((a, b) => b.daysBefore - a.daysBefore);
    let previous: Reminder | undefined;
    for (const r of sorted) {
      if (!Number.isInteger(r.daysBefore) || r.daysBefore < 1 || r.daysBefore > 365) {
        throw new RangeError(`a reminder must be 1 to 365 days before expiry, was ${r.daysBefore}`);
      }
      if (r.level === "NONE" || r.level === "LOCK") {
        throw new RangeError(`a reminder banner is INFO, WARNING or DANGER, was ${r.level}`);
      }
      if (r.dismissal === "NONE") throw new RangeError("a reminder banner needs a dismissal rule, was NONE");
      if (previous) {
        if (previous.daysBefore === r.daysBefore) throw new RangeError(`two reminders at D-${r.daysBefore}`);
        if (
          BANNER_LEVELS.indexOf(r.level) < BANNER_LEVELS.indexOf(previous.level) ||
          DISMISSALS.indexOf(r.dismissal) < DISMISSALS.indexOf(previous.dismissal)
        ) {
          throw new RangeError(
            `reminder D-${r.daysBefore} is less insistent than D-${previous.daysBefore}; banners may only grow more insistent`,
          );
        }
      }
      previous = r;
    }
    return Policy.create(this.name, sorted, this.graceDays, this.graceMode, this.action);
  }
}

/** DESIGN §4, the customer-friendly default: six notices, 60 days of full grace, then lock. */
export const APPLIANCE: Policy = Policy.builder("appliance")
  .reminder(30, "INFO", "UNTIL_NEXT_STAGE")
  .reminder(15, "WARNING", "FOR_24H")
  .reminder(7, "WARNING", "TO_PILL")
  .reminder(1, "DANGER", "NOT_DISMISSIBLE")
  .grace(60, "full")
  .lockAction("LOCK")
  .build();

/** DESIGN §4, self-serve monthly/annual: reminders at D-30, D-7, D-1, 7 days of read-only grace, then suspension. */
export const SUBSCRIPTION: Policy = Policy.builder("subscription")
  .reminder(30, "INFO", "UNTIL_NEXT_STAGE")
  .reminder(7, "WARNING", "TO_PILL")
  .reminder(1, "DANGER", "NOT_DISMISSIBLE")
  .grace(7, "read-only")
  .lockAction("SUSPEND")
  .build();
