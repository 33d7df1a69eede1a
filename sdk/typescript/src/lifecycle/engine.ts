import type { License } from "../license/license.js";
import { DAY } from "../time.js";
import type { BannerLevel, Dismissal, Mode, Phase, Policy, Stage } from "./policy.js";
import { Zone } from "./zone.js";

export interface Banner {
  readonly level: BannerLevel;
  readonly dismissal: Dismissal;
  readonly text: string;
}

export const NO_BANNER: Banner = Object.freeze({ level: "NONE", dismissal: "NONE", text: "" });

/** What the lifecycle engine says for (license, instant, policy). Instants are epoch milliseconds. */
export interface Standing {
  readonly phase: Phase;
  /** The stage reached last; undefined while ACTIVE or NOT_YET_VALID. */
  readonly stage: Stage | undefined;
  /** Whole days left, rounded up (30 from D-30 until D-29); 0 once expired. */
  readonly daysUntilExpiry: number;
  readonly daysUntilLock: number;
  readonly banner: Banner;
  readonly mode: Mode;
  readonly expiresAt: number;
  readonly locksAt: number;
  /** When any field (day counts and banner text included) next changes; undefined once locked. */
  readonly nextChangeAt: number | undefined;
  /** When the next stage starts; undefined once locked. */
  readonly nextTransitionAt: number | undefined;
}

/** The stage id of a standing (`D-30`, `EXPIRY`…), empty when none. */
export function stageId(s: Standing): string {
  return s.stage?.id ?? "";
}

/**
 * The lifecycle engine of DESIGN §4: a pure function of (license, instant, policy), equal to Java's
 * `Lifecycle.evaluate` on every conformance vector. Banner texts write dates for a viewer in `zone` (UTC by default).
 */
export function evaluate(
  license: Pick<License, "notBefore" | "expiresAt">,
  now: number,
  policy: Policy,
  zone: Zone | string = Zone.UTC,
): Standing {
  const z = typeof zone === "string" ? Zone.of(zone) : zone;
  const { notBefore, expiresAt } = license;
  const locksAt = expiresAt + policy.gracePeriodMs;
  const daysUntilExpiry = daysUntil(now, expiresAt);
  const daysUntilLock = daysUntil(now, locksAt);
  if (now < notBefore) {
    const standing: Standing = {
      phase: "NOT_YET_VALID",
      stage: undefined,
      daysUntilExpiry,
      daysUntilLock,
      banner: { level: "LOCK", dismissal: "NOT_DISMISSIBLE", text: `This license becomes valid on ${z.dateTime(notBefore)}.` },
      mode: "LOCKED",
      expiresAt,
      locksAt,
      nextChangeAt: notBefore,
      nextTransitionAt: notBefore,
    };
    return Object.freeze(standing);
  }
  let stage: Stage | undefined;
  for (const s of policy.stages) {
    // Stages are in order; with no grace, LOCK follows EXPIRY at the same instant and wins.
    if (expiresAt + s.offsetMs <= now) stage = s;
  }
  const nextTransitionAt = policy.stages.map((s) => expiresAt + s.offsetMs).find((t) => t > now);
  const phase: Phase = stage?.phase ?? "ACTIVE";
  const banner: Banner = stage
    ? { level: stage.level, dismissal: stage.dismissal, text: text(stage.phase, now, expiresAt, daysUntilExpiry, daysUntilLock, policy, z) }
    : NO_BANNER;
  const standing: Standing = {
    phase,
    stage,
    daysUntilExpiry,
    daysUntilLock,
    banner,
    mode: mode(phase, policy),
    expiresAt,
    locksAt,
    nextChangeAt: phase === "LOCKED" ? undefined : nextChange(now, expiresAt, nextTransitionAt, daysUntilExpiry, z),
    nextTransitionAt,
  };
  return Object.freeze(standing);
}

/**
 * The notice rule: the single most urgent stage that has been crossed and not yet notified. After downtime across
 * several stages this is only the latest one.
 *
 * @param lastNotified the id of the last stage already notified for this license, if any
 */
export function noticeDue(policy: Policy, expiresAt: number, lastNotified: string | undefined, now: number): Stage | undefined {
  const crossed = policy.stages.filter((s) => s.notice && expiresAt + s.offsetMs <= now);
  const due = crossed[crossed.length - 1];
  if (!due || lastNotified === undefined) return due;
  const sentOffset = offsetOf(policy, lastNotified);
  const alreadySent =
    due.offsetMs < sentOffset ||
    (due.offsetMs === sentOffset && policy.stages.indexOf(due) <= policy.stages.findIndex((s) => s.id === lastNotified));
  return alreadySent ? undefined : due;
}

function offsetOf(policy: Policy, stageId: string): number {
  const known = policy.stage(stageId);
  if (known) return known.offsetMs;
  // A stage of an earlier policy (the subscription changed preset): place it by its name.
  const m = /^D-([0-9]{1,3})$/.exec(stageId);
  if (m) return -Number(m[1]) * DAY;
  throw new TypeError(`unknown notice stage '${stageId}'`);
}

function mode(phase: Phase, policy: Policy): Mode {
  switch (phase) {
    case "NOT_YET_VALID":
    case "LOCKED":
      return "LOCKED";
    case "GRACE":
      return policy.graceMode === "read-only" ? "READ_ONLY" : "FULL";
    default:
      return "FULL";
  }
}

function text(
  phase: Phase,
  now: number,
  expiresAt: number,
  days: number,
  daysUntilLock: number,
  policy: Policy,
  zone: Zone,
): string {
  switch (phase) {
    case "EXPIRING": {
      if (days > 1) {
        return `Your license expires in ${days} days, on ${zone.dateTime(expiresAt)}. Renew it to keep working without interruption.`;
      }
      // The last 24 hours: "today" or "tomorrow" as the viewer's own calendar has it.
      const when = zone.epochDay(expiresAt) === zone.epochDay(now) ? "today" : "tomorrow";
      return `Your license expires ${when} at ${zone.time(expiresAt)}. Renew it now to keep working without interruption.`;
    }
    case "GRACE": {
      const expired = `Your license expired on ${zone.dateTime(expiresAt)}. `;
      const remaining = `${daysUntilLock}${daysUntilLock === 1 ? " day" : " days"} remaining before `;
      const action = policy.lockAction === "LOCK" ? "lock" : "suspension";
      return policy.graceMode === "full"
        ? `${expired}${remaining}${action}. Renew to keep working.`
        : `${expired}The product is read-only: ${remaining}${action}. Renew to resume full use.`;
    }
    case "LOCKED":
      return (
        `Your license expired on ${zone.dateTime(expiresAt)} and the grace period has ended: the product is ` +
        `${policy.lockAction === "LOCK" ? "locked" : "suspended"}. Paste a renewed license to continue; none of your data has been touched.`
      );
    default:
      return "";
  }
}

/** Day counts change on the 24-hour grid anchored at expiry; in the last day, the text also changes at midnight. */
function nextChange(now: number, expiresAt: number, nextTransition: number | undefined, days: number, zone: Zone): number {
  const sinceExpiry = Math.floor(now / 1000) - Math.floor(expiresAt / 1000);
  let next = expiresAt + (Math.floor(sinceExpiry / 86400) + 1) * DAY;
  if (nextTransition !== undefined && nextTransition < next) next = nextTransition;
  if (days === 1) {
    const midnight = zone.nextMidnight(now);
    if (midnight < next) next = midnight;
  }
  return next;
}

function daysUntil(now: number, then: number): number {
  const seconds = Math.floor(then / 1000) - Math.floor(now / 1000);
  return seconds <= 0 ? 0 : Math.floor((seconds + 86399) / 86400);
}
