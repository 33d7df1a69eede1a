import type { License } from "./license.js";
import type { SignedLicense } from "./reader.js";
import { isoInstant } from "../time.js";
import { LocalTemporal, OffsetDateTime, type TomlTable, type TomlValue } from "./values.js";

/**
 * A license as `keyturn license verify --json` prints it: the license file's own key names, instants in UTC,
 * unknown keys as plain JSON values (as the Java CLI's `LicenseView`).
 */
export interface LicenseJson {
  readonly format: number;
  readonly id: string;
  readonly subscription_id: string;
  readonly customer: string;
  readonly instance_domain: string | null;
  readonly tier: string;
  readonly seats: number;
  readonly features: readonly string[];
  readonly tags: readonly string[];
  readonly issued_at: string;
  readonly not_before: string;
  readonly expires_at: string;
  readonly limits: Readonly<Record<string, number>>;
  readonly overage_percent: Readonly<Record<string, number>>;
  readonly policy: Readonly<Record<string, unknown>>;
  readonly extensions: Readonly<Record<string, unknown>>;
  readonly key_id: string;
}

/** The fields every JSON view of a license starts with, in the file's order. */
export function licenseIdentity(l: License) {
  return {
    id: l.id,
    subscription_id: l.subscriptionId,
    customer: l.customer,
    instance_domain: l.instanceDomain ?? null,
    tier: l.tier,
    seats: l.seats,
  };
}

/** `[license.limits]` by name, sorted. */
export function sortedLimits(l: License): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const name of [...l.limits.keys()].sort()) limits[name] = l.limits.get(name) as number;
  return limits;
}

export function licenseJson(signed: SignedLicense): LicenseJson {
  const l = signed.license;
  return {
    format: Number(signed.format),
    ...licenseIdentity(l),
    features: l.features,
    tags: l.tags,
    issued_at: isoInstant(l.issuedAt),
    not_before: isoInstant(l.notBefore),
    expires_at: isoInstant(l.expiresAt),
    limits: sortedLimits(l),
    overage_percent: Object.fromEntries([...l.overagePercent.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    policy: { ...policyJson(l.policy), ...plainTable(l.policy.extensions) },
    extensions: plainTable(l.extensions),
    key_id: signed.signature.keyId,
  };
}

/** A preset and its grace, or a format-2 license's whole policy keyed as the file keys it. */
function policyJson(p: License["policy"]): Record<string, unknown> {
  const r = p.rules;
  if (!r) return { preset: p.preset, grace_days: p.graceDays, grace_mode: p.graceMode };
  return {
    name: r.name,
    grace_days: p.graceDays,
    grace_mode: p.graceMode,
    lock_action: r.lockAction,
    reminders: r.reminders.map((x) => ({
      days_before: x.daysBefore,
      banner: x.banner,
      dismissal: x.dismissal,
      notify: x.notify,
    })),
    expiry_notify: r.expiryNotify,
    lock_notify: r.lockNotify,
  };
}

function plainTable(t: TomlTable): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of [...t.keys()].sort()) out[k] = plain(t.get(k) as TomlValue);
  return out;
}

/** Java's `LicenseView.plain`: non-finite floats as text, datetimes as `toString()` (local times drop `:00`). */
function plain(v: TomlValue): unknown {
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number") {
    if (Number.isNaN(v)) return "NaN";
    if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
    return v;
  }
  if (v instanceof OffsetDateTime) return v.toString();
  if (v instanceof LocalTemporal) return javaLocalToString(v);
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Map) return plainTable(v);
  return v;
}

/** `LocalTime.toString()`: `HH:mm` when seconds and fraction are zero, fractions in groups of three digits. */
function javaLocalToString(v: LocalTemporal): string {
  if (v.kind === "date") return v.text;
  const time = v.kind === "time" ? v.text : v.text.slice(11);
  const m = /^(\d{2}:\d{2}):(\d{2})(?:\.(\d+))?$/.exec(time);
  let out = time;
  if (m) {
    const fraction = m[3] ?? "";
    if (m[2] === "00" && fraction === "") {
      out = m[1] as string;
    } else if (fraction === "") {
      out = `${m[1]}:${m[2]}`;
    } else {
      out = `${m[1]}:${m[2]}.${fraction.padEnd(fraction.length <= 3 ? 3 : fraction.length <= 6 ? 6 : 9, "0")}`;
    }
  }
  return v.kind === "time" ? out : `${v.text.slice(0, 11)}${out}`;
}
