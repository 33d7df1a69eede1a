import type { Banner } from "./engine.js";
import type { BannerLevel } from "./policy.js";

/**
 * The usage standing of issue 18, as core's `Usage` has it: within the limit nothing shows; above it but within the
 * license's `[license.overage_percent]` allowance a warning names the limit, usage and allowance and nothing is
 * refused; above the allowance the product refuses only what would raise usage further. Usage never locks the product.
 */
export const MAX_OVERAGE_PERCENT = 1000;

export type UsageLevel = "WITHIN" | "OVER_LIMIT" | "OVER_ALLOWANCE";
const SEVERITY: Record<UsageLevel, number> = { WITHIN: 0, OVER_LIMIT: 1, OVER_ALLOWANCE: 2 };

/** What usage is measured against: seats (0 = unlimited), `[license.limits]`, `[license.overage_percent]`. */
export interface Grant {
  readonly seats: number;
  readonly limits: ReadonlyMap<string, number>;
  readonly overagePercent: ReadonlyMap<string, number>;
}

export interface LimitUsage {
  readonly limit: string;
  readonly usage: number;
  readonly licensed: number;
  readonly overagePercent: number;
  /** licensed + floor(licensed × percent / 100) */
  readonly ceiling: number;
  readonly level: UsageLevel;
  /** The banner sentence; empty when within. */
  readonly text: string;
}

export interface UsageDecision {
  readonly allowed: boolean;
  readonly limit: string;
  readonly usage: number;
  readonly after: number;
  /** null for a limit the license does not set. */
  readonly ceiling: number | null;
  readonly message: string;
}

export class UsageStanding {
  static readonly NONE = new UsageStanding([]);

  constructor(readonly limits: readonly LimitUsage[]) {}

  get level(): UsageLevel {
    return this.limits.reduce<UsageLevel>((a, l) => (SEVERITY[l.level] > SEVERITY[a] ? l.level : a), "WITHIN");
  }

  /** The limits above their licensed value, those over the allowance first (a stable sort keeps name order). */
  exceeded(): LimitUsage[] {
    return this.limits.filter((l) => l.level !== "WITHIN").sort((a, b) => SEVERITY[b.level] - SEVERITY[a.level]);
  }

  /** A warning within the allowance, danger above it; never dismissible. */
  get banner(): Banner {
    const exceeded = this.exceeded();
    if (exceeded.length === 0) return { level: "NONE", dismissal: "NONE", text: "" };
    const level: BannerLevel = this.level === "OVER_ALLOWANCE" ? "DANGER" : "WARNING";
    return { level, dismissal: "NOT_DISMISSIBLE", text: exceeded.map((l) => l.text).join(" ") };
  }
}

export function licensed(grant: Grant, name: string): number | undefined {
  const named = grant.limits.get(name);
  if (named !== undefined) return named;
  if (name === "seats" && grant.seats > 0) return grant.seats;
  return undefined;
}

function allowance(grant: Grant, name: string): number {
  const p = grant.overagePercent.get(name) ?? 0;
  return Number.isInteger(p) && p >= 0 && p <= MAX_OVERAGE_PERCENT ? p : 0;
}

/** licensed + floor(licensed × percent / 100), exact for every safe integer. */
export function ceiling(licensedValue: number, percent: number): number {
  const total = BigInt(licensedValue) + (BigInt(licensedValue) * BigInt(percent)) / 100n;
  return total > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(total);
}

function allowancePhrase(percent: number, top: number): string {
  return percent > 0 ? ` and its ${percent}% overage allowance (${top})` : "";
}

function requireUsage(limit: string, usage: number): void {
  if (usage < 0) throw new RangeError(`usage of ${limit} must not be negative, was ${usage}`);
}

export function evaluateLimit(limit: string, usage: number, licensedValue: number, percent: number): LimitUsage {
  requireUsage(limit, usage);
  const top = ceiling(licensedValue, percent);
  if (usage <= licensedValue) return { limit, usage, licensed: licensedValue, overagePercent: percent, ceiling: top, level: "WITHIN", text: "" };
  if (usage <= top) {
    const text = `${limit}: ${usage} in use, above the licensed ${licensedValue}; the ${percent}% overage allowance permits up to ${top}. Ask your vendor to raise the limit.`;
    return { limit, usage, licensed: licensedValue, overagePercent: percent, ceiling: top, level: "OVER_LIMIT", text };
  }
  const text = `${limit}: ${usage} in use, above the licensed ${licensedValue}${allowancePhrase(percent, top)}. Adding more is refused until usage is reduced or the limit raised; nothing has been locked or removed.`;
  return { limit, usage, licensed: licensedValue, overagePercent: percent, ceiling: top, level: "OVER_ALLOWANCE", text };
}

/** Every reported limit the grant sets, in name order; a RangeError for negative usage. */
export function evaluateUsage(grant: Grant, usage: ReadonlyMap<string, number>): UsageStanding {
  const out: LimitUsage[] = [];
  for (const name of [...usage.keys()].sort()) {
    const value = licensed(grant, name);
    if (value !== undefined) out.push(evaluateLimit(name, usage.get(name) as number, value, allowance(grant, name)));
  }
  return new UsageStanding(out);
}

/** May usage of `limit` rise from `usage` by `by`? Refused only past the ceiling; `by = 0` always passes. */
export function increase(grant: Grant, limit: string, usage: number, by: number): UsageDecision {
  requireUsage(limit, usage);
  if (by < 0) throw new RangeError(`the increase of ${limit} must not be negative, was ${by}`);
  const after = Math.min(Number.MAX_SAFE_INTEGER, usage + by);
  const value = licensed(grant, limit);
  if (value === undefined) return { allowed: true, limit, usage, after, ceiling: null, message: "" };
  const percent = allowance(grant, limit);
  const top = ceiling(value, percent);
  if (by === 0 || after <= top) return { allowed: true, limit, usage, after, ceiling: top, message: "" };
  const message = `Adding ${by} to ${limit} would bring it to ${after}, above the licensed ${value}${allowancePhrase(percent, top)}. Reduce ${limit} first, or ask your vendor to raise the limit.`;
  return { allowed: false, limit, usage, after, ceiling: top, message };
}
