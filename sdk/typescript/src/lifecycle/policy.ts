import type { GraceMode, LicensePolicy } from "../license/license.js";
import { MAX_REMINDERS, type PolicyRules } from "../license/rules.js";
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

/** Who the server tells when a license crosses a stage, in the order a license file lists them. */
export const RECIPIENTS = ["CUSTOMER", "ACCOUNT_TEAM", "SUPPORT", "RENEWAL_REQUEST", "WEBHOOK"] as const;
export type Recipient = (typeof RECIPIENTS)[number];

/** Once each, in `RECIPIENTS` order. */
function inOrder(rs: readonly Recipient[]): readonly Recipient[] {
  return Object.freeze(RECIPIENTS.filter((r) => rs.includes(r)));
}

/** `account-team` as a license file spells it, to `ACCOUNT_TEAM`. */
export function recipientFromToml(name: string): Recipient {
  return name.toUpperCase().replace(/-/g, "_") as Recipient;
}

/** Who hears of expiry and lock unless a policy says otherwise. */
export const DEFAULT_NOTIFY: readonly Recipient[] = inOrder(["CUSTOMER", "WEBHOOK"]);

/**
 * Who a reminder built without recipients tells: the customer and webhooks, the account team at D-15, support at
 * D-7, a renewal request at D-1 (DESIGN §4).
 */
export function defaultNotify(daysBefore: number): readonly Recipient[] {
  const extra: Record<number, Recipient> = { 15: "ACCOUNT_TEAM", 7: "SUPPORT", 1: "RENEWAL_REQUEST" };
  const add = extra[daysBefore];
  return inOrder(add ? [...DEFAULT_NOTIFY, add] : DEFAULT_NOTIFY);
}

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
  /** Whether anyone is told. */
  readonly notice: boolean;
  /** Who is told on crossing it, in `RECIPIENTS` order. */
  readonly recipients: readonly Recipient[];
}

export interface Reminder {
  readonly daysBefore: number;
  readonly level: BannerLevel;
  readonly dismissal: Dismissal;
  readonly recipients: readonly Recipient[];
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
    readonly expiryNotify: readonly Recipient[],
    readonly lockNotify: readonly Recipient[],
  ) {
    const stages: Stage[] = reminders.map((r) => ({
      id: `D-${r.daysBefore}`,
      offsetMs: -r.daysBefore * DAY,
      phase: "EXPIRING",
      level: r.level,
      dismissal: r.dismissal,
      notice: r.recipients.length > 0,
      recipients: r.recipients,
    }));
    stages.push({
      id: EXPIRY,
      offsetMs: 0,
      phase: "GRACE",
      level: "DANGER",
      dismissal: "NOT_DISMISSIBLE",
      notice: expiryNotify.length > 0,
      recipients: expiryNotify,
    });
    stages.push({
      id: LOCK,
      offsetMs: graceDays * DAY,
      phase: "LOCKED",
      level: "LOCK",
      dismissal: "NOT_DISMISSIBLE",
      notice: lockNotify.length > 0,
      recipients: lockNotify,
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

  /** The policy a license carries: the whole policy of a format-2 file, or its preset with its signed grace. */
  static forLicense(p: LicensePolicy): Policy {
    if (p.rules) return Policy.fromRules(p.rules, p.graceDays, p.graceMode);
    const base = Policy.preset(p.preset);
    if (!base) throw new TypeError(`unknown policy preset '${p.preset}'`);
    return base.withGrace(p.graceDays, p.graceMode);
  }

  private static fromRules(r: PolicyRules, graceDays: number, graceMode: GraceMode): Policy {
    const b = Policy.builder(r.name)
      .grace(graceDays, graceMode)
      .lockAction(r.lockAction.toUpperCase() as LockAction)
      .expiryNotify(r.expiryNotify.map(recipientFromToml))
      .lockNotify(r.lockNotify.map(recipientFromToml));
    for (const x of r.reminders) {
      b.reminder(
        x.daysBefore,
        x.banner.toUpperCase() as BannerLevel,
        x.dismissal.toUpperCase().replace(/-/g, "_") as Dismissal,
        x.notify.map(recipientFromToml),
      );
    }
    return b.build();
  }

  withGrace(days: number, mode: GraceMode): Policy {
    if (days === this.graceDays && mode === this.graceMode) return this;
    const b = Policy.builder(this.name)
      .grace(days, mode)
      .lockAction(this.lockAction)
      .expiryNotify(this.expiryNotify)
      .lockNotify(this.lockNotify);
    for (const r of this.reminders) b.reminder(r.daysBefore, r.level, r.dismissal, r.recipients);
    return b.build();
  }

  stage(id: string): Stage | undefined {
    return this.stages.find((s) => s.id === id);
  }

  get gracePeriodMs(): number {
    return this.graceDays * DAY;
  }

  /** @internal */
  static create(
    name: string,
    reminders: Reminder[],
    graceDays: number,
    mode: GraceMode,
    action: LockAction,
    expiryNotify: readonly Recipient[],
    lockNotify: readonly Recipient[],
  ): Policy {
    return new Policy(name, Object.freeze(reminders), graceDays, mode, action, expiryNotify, lockNotify);
  }
}

/** Validates on build, so every policy keeps the rule that standing only grows more severe. */
export class PolicyBuilder {
  private readonly reminders: Reminder[] = [];
  private graceDays = 0;
  private graceMode: GraceMode = "full";
  private action: LockAction = "LOCK";
  private expiry: readonly Recipient[] = DEFAULT_NOTIFY;
  private lock: readonly Recipient[] = DEFAULT_NOTIFY;

  constructor(private readonly name: string) {
    if (!name || !name.trim()) throw new TypeError("a policy needs a name");
  }

  /** A reminder; without recipients, those `defaultNotify` gives for its day. */
  reminder(daysBefore: number, level: BannerLevel, dismissal: Dismissal, recipients?: readonly Recipient[]): this {
    const told = inOrder(recipients ?? defaultNotify(daysBefore));
    this.reminders.push(Object.freeze({ daysBefore, level, dismissal, recipients: told }));
    return this;
  }

  expiryNotify(recipients: readonly Recipient[]): this {
    this.expiry = inOrder(recipients);
    return this;
  }

  lockNotify(recipients: readonly Recipient[]): this {
    this.lock = inOrder(recipients);
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
    if (this.reminders.length > MAX_REMINDERS) {
      throw new RangeError(`a policy has at most ${MAX_REMINDERS} reminders, found ${this.reminders.length}`);
    }
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
    return Policy.create(this.name, sorted, this.graceDays, this.graceMode, this.action, this.expiry, this.lock);
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
