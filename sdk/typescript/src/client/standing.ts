import type { License } from "../license/license.js";
import { evaluate, stageId, type Standing } from "../lifecycle/engine.js";
import { BANNER_LEVELS, Policy, type BannerLevel, type Dismissal, type Mode, type Phase } from "../lifecycle/policy.js";
import { evaluateUsage, licensed, UsageStanding, type Grant } from "../lifecycle/usage.js";
import type { Zone } from "../lifecycle/zone.js";
import { DAY, HOUR, MINUTE } from "../time.js";
import type { GuardedTime } from "./guard.js";
import type { InstalledLicense } from "./history.js";
import type { PersistentState } from "./state.js";

/** Conditions the client adds to the lifecycle standing; stable names, in order of seriousness. */
export const STANDING_FLAGS = [
  "NO_LICENSE",
  "REVOKED",
  "CLOCK_ROLLBACK",
  "PAYMENT_FAILING",
  "INSTANCE_CONFLICT",
  "STATE_RESET",
  "USAGE_OVER_LIMIT",
  "USAGE_OVER_ALLOWANCE",
] as const;
export type StandingFlag = (typeof STANDING_FLAGS)[number];

export type BannerDisplay = "NONE" | "SHOWN" | "HIDDEN" | "PILL";

/** The banner as the product should render it, after the user's dismissal. */
export interface BannerView {
  readonly level: BannerLevel;
  /** What `dismiss()` would do now. */
  readonly dismissal: Dismissal;
  readonly text: string;
  readonly display: BannerDisplay;
  /** When a dismissed banner comes back. */
  readonly hiddenUntil: number | undefined;
  /** The short countdown for PILL, else empty. */
  readonly pillText: string;
  /** The stage the banner belongs to (`D-30`…), empty when none. */
  readonly stageId: string;
}

export const NO_BANNER_VIEW: BannerView = Object.freeze({
  level: "NONE",
  dismissal: "NONE",
  text: "",
  display: "NONE",
  hiddenUntil: undefined,
  pillText: "",
  stageId: "",
});

/**
 * Everything a status command or a license page shows. `phase` and `mode` are the final word, flags included: a
 * revoked license or none at all is LOCKED even though `lifecycle` may say otherwise.
 */
export interface ClientStanding {
  /** The license in force: the newest valid installed one. */
  readonly license: License | undefined;
  readonly lifecycle: Standing | undefined;
  readonly phase: Phase;
  readonly mode: Mode;
  /** A few words for a status line: `active`, `expires in 12 days`, `grace: 40 days before lock`, `locked`… */
  readonly summary: string;
  readonly daysUntilExpiry: number;
  readonly daysUntilLock: number;
  readonly flags: readonly StandingFlag[];
  /** One sentence per flag, most serious first (also part of the banner text). */
  readonly notices: readonly string[];
  readonly banner: BannerView;
  /** The guarded time licensing used. */
  readonly evaluatedAt: number;
  /** What the clock said. */
  readonly clockTime: number;
  /** When this standing next changes, in guarded time; undefined when only an install or check-in can change it. */
  readonly nextChangeAt: number | undefined;
  readonly stageId: string;
  readonly expiresAt: number | undefined;
  readonly locksAt: number | undefined;
  /** The standing of each limit the product last reported against the license in force. */
  readonly usage: UsageStanding;
}

/** What the hot path reads: built once per change, never modified. */
export interface Snapshot {
  readonly mode: Mode;
  readonly features: ReadonlySet<string>;
  readonly limits: ReadonlyMap<string, number>;
  readonly absentLimit: number;
  readonly validUntil: number | undefined;
}

export const UNLIMITED = Number.MAX_SAFE_INTEGER;
export const NOTHING: Snapshot = Object.freeze({
  mode: "LOCKED",
  features: new Set<string>(),
  limits: new Map<string, number>(),
  absentLimit: 0,
  validUntil: undefined,
});

export const DISMISS_FOR_MS = 24 * HOUR;
export const NO_LICENSE_TEXT = "No license is installed. Paste the license file from your vendor to start.";
export const DEFAULT_PAYMENT_TEXT =
  "Your last payment failed: update your payment details to keep the subscription active.";

/** A named limit: `[license.limits]`; for `seats`, when not named there, the license's seats (0 = unlimited). */
export function limitOf(license: License, name: string): number {
  return licensed(grantOf(license), name) ?? UNLIMITED;
}

/**
 * What usage is measured against. Readers keep `[license.overage_percent]` as a signed table among the extensions; a
 * value that is no whole number grants nothing.
 */
export function grantOf(license: License): Grant {
  const overage = new Map<string, number>(license.overagePercent);
  const table = license.extensions.get("overage_percent");
  if (table instanceof Map) {
    for (const [name, v] of table as ReadonlyMap<string, unknown>) {
      if (typeof v === "number" || typeof v === "bigint") overage.set(name, Number(v));
    }
  }
  return { seats: license.seats, limits: license.limits, overagePercent: overage };
}

/** One limit a license would lower below what is in use. */
export interface LimitExcess {
  readonly limit: string;
  readonly usage: number;
  readonly newValue: number;
}

export function describeExcess(e: LimitExcess): string {
  return `${e.limit}: ${e.usage} in use, the new license allows ${e.newValue}`;
}

/** The limits a new license would lower below current usage; a limit that stays or rises never counts. */
export function excesses(current: License | undefined, next: License, usage: ReadonlyMap<string, number>): LimitExcess[] {
  const out: LimitExcess[] = [];
  for (const name of [...usage.keys()].sort()) {
    const used = usage.get(name) as number;
    const newValue = limitOf(next, name);
    const oldValue = current ? limitOf(current, name) : UNLIMITED;
    if (newValue < oldValue && used > newValue) out.push({ limit: name, usage: used, newValue });
  }
  return out;
}

/**
 * Builds the standing and the hot-path snapshot from the license in force, the guarded time and the persisted
 * state: a pure function, as Java's `Evaluator`.
 */
export function evaluateClient(
  installed: InstalledLicense | undefined,
  nextActivation: number | undefined,
  time: GuardedTime,
  state: PersistentState,
  sessionFlags: ReadonlySet<StandingFlag>,
  zone: Zone,
  usage: ReadonlyMap<string, number> = new Map(),
): { standing: ClientStanding; snapshot: Snapshot } {
  const at = time.effective;
  const flags = new Set<StandingFlag>(sessionFlags);
  if (time.rollback) flags.add("CLOCK_ROLLBACK");
  if (!installed) {
    flags.add("NO_LICENSE");
    const notices = noticesFor(flags, time, state, zone, undefined);
    const banner: BannerView = { ...NO_BANNER_VIEW, level: "LOCK", dismissal: "NOT_DISMISSIBLE", text: notices.join(" "), display: "SHOWN" };
    return {
      standing: freezeStanding({
        license: undefined,
        lifecycle: undefined,
        phase: "LOCKED",
        mode: "LOCKED",
        summary: summary(flags, "LOCKED", undefined, at, zone),
        daysUntilExpiry: 0,
        daysUntilLock: 0,
        flags: ordered(flags),
        notices,
        banner,
        evaluatedAt: at,
        clockTime: time.clock,
        nextChangeAt: nextActivation,
        stageId: "",
        expiresAt: undefined,
        locksAt: undefined,
        usage: UsageStanding.NONE,
      }),
      snapshot: { ...NOTHING, validUntil: nextActivation },
    };
  }
  const lic = installed.signed.license;
  const lifecycle = evaluate(lic, at, Policy.forLicense(lic.policy), zone);
  const revocation = state.revoked[lic.id];
  if (revocation !== undefined) flags.add("REVOKED");
  if (state.payment_failing !== null) flags.add("PAYMENT_FAILING");
  if (state.instance_conflict) flags.add("INSTANCE_CONFLICT");
  let usageStanding = UsageStanding.NONE;
  if (revocation === undefined) {
    try {
      usageStanding = evaluateUsage(grantOf(lic), usage);
    } catch {
      // Negative usage never reaches the record; nothing to show.
    }
  }
  if (usageStanding.level === "OVER_LIMIT") flags.add("USAGE_OVER_LIMIT");
  if (usageStanding.level === "OVER_ALLOWANCE") flags.add("USAGE_OVER_ALLOWANCE");
  const notices = noticesFor(flags, time, state, zone, lic);
  for (const l of usageStanding.exceeded()) notices.push(l.text);
  const phase: Phase = revocation !== undefined ? "LOCKED" : lifecycle.phase;
  const mode: Mode = revocation !== undefined ? "LOCKED" : lifecycle.mode;
  const banner: BannerView =
    revocation !== undefined
      ? { ...NO_BANNER_VIEW, level: "LOCK", dismissal: "NOT_DISMISSIBLE", text: notices.join(" "), display: "SHOWN", stageId: stageId(lifecycle) }
      : withNotices(lifecycleBanner(lic, lifecycle, state, at), notices, usageStanding.level === "OVER_ALLOWANCE" ? "DANGER" : "WARNING");
  const candidates = [
    revocation !== undefined ? undefined : lifecycle.nextChangeAt,
    banner.display === "HIDDEN" ? banner.hiddenUntil : undefined,
    nextActivation,
  ].filter((t): t is number => t !== undefined);
  const nextChangeAt = candidates.length ? Math.min(...candidates) : undefined;
  const limits = new Map(lic.limits);
  if (!limits.has("seats")) limits.set("seats", limitOf(lic, "seats"));
  return {
    standing: freezeStanding({
      license: lic,
      lifecycle,
      phase,
      mode,
      summary: summary(flags, phase, lifecycle, at, zone),
      daysUntilExpiry: lifecycle.daysUntilExpiry,
      daysUntilLock: lifecycle.daysUntilLock,
      flags: ordered(flags),
      notices,
      banner,
      evaluatedAt: at,
      clockTime: time.clock,
      nextChangeAt,
      stageId: stageId(lifecycle),
      expiresAt: lic.expiresAt,
      locksAt: lifecycle.locksAt,
      usage: usageStanding,
    }),
    snapshot: Object.freeze({
      mode,
      // A locked product grants no feature, whatever the license lists.
      features: new Set(mode === "LOCKED" ? [] : lic.features),
      limits,
      absentLimit: UNLIMITED,
      validUntil: nextChangeAt,
    }),
  };
}

function freezeStanding(s: ClientStanding): ClientStanding {
  return Object.freeze(s);
}

function ordered(flags: ReadonlySet<StandingFlag>): StandingFlag[] {
  return STANDING_FLAGS.filter((f) => flags.has(f));
}

/** The stage's banner after the user's dismissal of it (DESIGN §4's dismissal rules). */
function lifecycleBanner(license: License, lifecycle: Standing, state: PersistentState, at: number): BannerView {
  const banner = lifecycle.banner;
  if (banner.level === "NONE") return NO_BANNER_VIEW;
  const id = stageId(lifecycle);
  const dismissedText = state.dismissals[license.id]?.[id];
  let display: BannerDisplay = "SHOWN";
  let hiddenUntil: number | undefined;
  let pill = "";
  if (dismissedText !== undefined) {
    const dismissedAt = Date.parse(dismissedText);
    switch (banner.dismissal) {
      case "UNTIL_NEXT_STAGE":
        display = "HIDDEN";
        hiddenUntil = lifecycle.nextTransitionAt;
        break;
      case "FOR_24H":
        if (at < dismissedAt + DISMISS_FOR_MS) {
          display = "HIDDEN";
          hiddenUntil = dismissedAt + DISMISS_FOR_MS;
        }
        break;
      case "TO_PILL":
        display = "PILL";
        pill = lifecycle.daysUntilExpiry === 1 ? "Expires in 1 day" : `Expires in ${lifecycle.daysUntilExpiry} days`;
        break;
      default:
      // Cannot have been dismissed; show it.
    }
  }
  return { level: banner.level, dismissal: banner.dismissal, text: banner.text, display, hiddenUntil, pillText: pill, stageId: id };
}

/** Flags speak over the stage banner, and cannot be dismissed. */
function withNotices(banner: BannerView, notices: readonly string[], floor: BannerLevel = "WARNING"): BannerView {
  if (notices.length === 0) return banner;
  const level: BannerLevel = BANNER_LEVELS.indexOf(banner.level) >= BANNER_LEVELS.indexOf(floor) ? banner.level : floor;
  return {
    level,
    dismissal: "NOT_DISMISSIBLE",
    text: notices.join(" ") + (banner.text === "" ? "" : " " + banner.text),
    display: "SHOWN",
    hiddenUntil: undefined,
    pillText: "",
    stageId: banner.stageId,
  };
}

function noticesFor(
  flags: ReadonlySet<StandingFlag>,
  time: GuardedTime,
  state: PersistentState,
  zone: Zone,
  license: License | undefined,
): string[] {
  const out: string[] = [];
  if (flags.has("NO_LICENSE")) out.push(NO_LICENSE_TEXT);
  if (flags.has("REVOKED")) {
    const id = license?.id ?? "";
    out.push(
      `The vendor revoked license ${id} (${state.revoked[id] ?? "no reason given"}). Paste a new license to continue; none of your data has been touched.`,
    );
  }
  if (flags.has("CLOCK_ROLLBACK")) {
    out.push(
      `The system clock says ${zone.dateTime(time.clock)}, ${humanize(time.behindMs)} behind the latest time this product has seen (${zone.dateTime(time.effective)}). Licensing continues from that time; please correct the system clock.`,
    );
  }
  if (flags.has("PAYMENT_FAILING")) out.push(state.payment_failing ?? DEFAULT_PAYMENT_TEXT);
  if (flags.has("INSTANCE_CONFLICT")) {
    out.push(
      "The vendor's server reports that another installation uses this license; contact your vendor if that is unexpected.",
    );
  }
  return out;
}

function summary(flags: ReadonlySet<StandingFlag>, phase: Phase, lifecycle: Standing | undefined, at: number, zone: Zone): string {
  let base: string;
  if (flags.has("NO_LICENSE")) {
    base = "no license";
  } else if (flags.has("REVOKED")) {
    base = "locked: license revoked";
  } else {
    const l = lifecycle as Standing;
    switch (phase) {
      case "NOT_YET_VALID":
        base = "not yet valid";
        break;
      case "ACTIVE":
        base = "active";
        break;
      case "EXPIRING":
        base =
          l.daysUntilExpiry > 1
            ? `expires in ${days(l.daysUntilExpiry)}`
            : zone.epochDay(l.expiresAt) === zone.epochDay(at)
              ? "expires today"
              : "expires tomorrow";
        break;
      case "GRACE":
        base = `grace: ${days(l.daysUntilLock)} before lock`;
        break;
      default:
        base = "locked";
    }
  }
  return flags.has("CLOCK_ROLLBACK") ? base + ", clock rollback" : base;
}

function days(n: number): string {
  return n === 1 ? "1 day" : `${n} days`;
}

export function humanize(ms: number): string {
  const d = Math.floor(ms / DAY);
  if (d >= 2) return `${d} days`;
  const h = Math.floor(ms / HOUR);
  if (h >= 2) return `${h} hours`;
  return `${Math.max(1, Math.floor(ms / MINUTE))} minutes`;
}
