import { LicenseFormatError } from "../errors.js";
import { isoInstant } from "../time.js";
import { normalizeDomain } from "./domain.js";
import { validatePolicyRules, type PolicyReminder, type PolicyRules } from "./rules.js";
import {
  isBlank,
  isTable,
  OffsetDateTime,
  requireKey,
  typeName,
  type TomlTable,
  type TomlValue,
} from "./values.js";

export type GraceMode = "full" | "read-only";

/**
 * The `[license.policy]` table: a preset and the grace it was signed with (format 1), or a whole custom policy in
 * `rules` (format 2; `preset` is then the policy's name).
 */
export interface LicensePolicy {
  readonly preset: string;
  readonly graceDays: number;
  readonly graceMode: GraceMode;
  /** Keys this version does not know; kept and signed. */
  readonly extensions: TomlTable;
  /** The whole policy of a format-2 license; undefined for a preset. */
  readonly rules?: PolicyRules;
}

/** The `[license]` table of a license file, typed. Instants are epoch milliseconds. */
export interface License {
  readonly id: string;
  readonly subscriptionId: string;
  readonly customer: string;
  /** Normalized; undefined when the license is not bound to an instance. */
  readonly instanceDomain: string | undefined;
  readonly tier: string;
  /** 0 means unlimited. */
  readonly seats: number;
  readonly features: readonly string[];
  readonly tags: readonly string[];
  readonly issuedAt: number;
  readonly notBefore: number;
  readonly expiresAt: number;
  /** `[license.limits]`, by name. */
  readonly limits: ReadonlyMap<string, number>;
  /** `[license.overage_percent]`: limit name → percent usage may run above it (0..1000); empty when none. */
  readonly overagePercent: ReadonlyMap<string, number>;
  readonly policy: LicensePolicy;
  /** Keys inside `[license]` this version does not know; kept and signed (DESIGN §3). */
  readonly extensions: TomlTable;
}

export const KNOWN_KEYS = new Set([
  "id",
  "subscription_id",
  "customer",
  "instance_domain",
  "tier",
  "seats",
  "features",
  "tags",
  "issued_at",
  "not_before",
  "expires_at",
  "limits",
  "overage_percent",
  "policy",
]);
const POLICY_KEYS = new Set(["preset", "grace_days", "grace_mode"]);
const CUSTOM_POLICY_KEYS = new Set([
  "name",
  "grace_days",
  "grace_mode",
  "lock_action",
  "reminders",
  "expiry_notify",
  "lock_notify",
]);
const REMINDER_KEYS = new Set(["days_before", "banner", "dismissal", "notify"]);
export const MAX_GRACE_DAYS = 3650;
export const MAX_OVERAGE_PERCENT = 1000;

/** Every key of a table and its sub-tables must be a bare key (Java's `LicenseTable.checkKeys`). */
export function checkKeys(path: string, table: TomlTable): void {
  for (const [key, value] of table) {
    requireKey(path, key);
    if (isTable(value)) checkKeys(`${path}.${key}`, value);
  }
}

/** The typed license of a parsed `[license]` table, with Java's messages for what is wrong. */
export function licenseFromTable(t: TomlTable, format: bigint = 1n): License {
  const f = new Fields("license", t);
  const limits = new Map<string, number>();
  for (const [name, value] of f.optionalTable("limits")) {
    if (typeof value !== "bigint" || value < 0n) {
      throw LicenseFormatError.malformed(
        `license.limits.${name} must be a whole number of 0 or more, found ${typeName(value)}`,
      );
    }
    limits.set(name, Number(value));
  }
  const overagePercent = new Map<string, number>();
  for (const [name, value] of f.optionalTable("overage_percent")) {
    if (typeof value !== "bigint" || value < 0n || value > BigInt(MAX_OVERAGE_PERCENT)) {
      const found = typeof value === "bigint" ? value.toString() : typeName(value);
      throw LicenseFormatError.malformed(
        `license.overage_percent.${name} must be a whole number from 0 to ${MAX_OVERAGE_PERCENT}, found ${found}`,
      );
    }
    overagePercent.set(name, Number(value));
  }
  const p = new Fields("license.policy", f.table("policy"));
  const policy = format >= 2n ? customPolicy(p) : presetPolicy(p);
  const domain = f.optionalString("instance_domain");
  try {
    const id = f.string("id");
    const subscriptionId = f.string("subscription_id");
    const customer = f.string("customer");
    const instanceDomain = domain === undefined ? undefined : normalizeDomain(domain);
    const tier = f.string("tier");
    const seats = Number(f.wholeNumber("seats"));
    const features = f.optionalStrings("features");
    const tags = f.optionalStrings("tags");
    const issuedAt = f.instant("issued_at");
    const notBefore = f.instant("not_before");
    const expiresAt = f.instant("expires_at");
    if (!(expiresAt > notBefore)) {
      throw new TypeError(
        `expires_at (${isoInstant(expiresAt)}) must be after not_before (${isoInstant(notBefore)})`,
      );
    }
    for (const name of [...overagePercent.keys()].sort()) {
      if (!limits.has(name) && !(name === "seats" && seats > 0)) {
        throw new TypeError(
          `overage_percent.${name} must be a limit this license sets (set license.limits.${name}${name === "seats" ? " or seats" : ""} first)`,
        );
      }
    }
    return {
      id,
      subscriptionId,
      customer,
      instanceDomain,
      tier,
      seats,
      features,
      tags,
      issuedAt,
      notBefore,
      expiresAt,
      limits,
      overagePercent,
      policy,
      extensions: f.unknown(KNOWN_KEYS),
    };
  } catch (e) {
    if (e instanceof TypeError) throw LicenseFormatError.malformed(`license: ${e.message}`);
    throw e;
  }
}

/** Format 1: a preset by name and its grace. */
function presetPolicy(p: Fields): LicensePolicy {
  const preset = p.string("preset");
  if (preset !== "appliance" && preset !== "subscription") {
    throw LicenseFormatError.malformed(
      `license.policy.preset must be "appliance" or "subscription", found "${preset}"`,
    );
  }
  const [graceDays, graceMode] = grace(p);
  return { preset, graceDays, graceMode, extensions: p.unknown(POLICY_KEYS) };
}

/** Format 2: the whole policy (docs/license-format.md). */
function customPolicy(p: Fields): LicensePolicy {
  if (p.has("preset")) {
    throw LicenseFormatError.malformed(
      "license.policy.preset belongs to format 1; a format 2 license carries the whole policy",
    );
  }
  const reminders: PolicyReminder[] = p.tables("reminders").map((entry, i) => {
    const r = new Fields(`license.policy.reminders[${i}]`, entry);
    r.refuseUnknown(REMINDER_KEYS);
    const daysBefore = r.wholeNumber("days_before");
    return {
      daysBefore: daysBefore > 2147483647n ? 2147483647 : Number(daysBefore),
      banner: r.string("banner"),
      dismissal: r.string("dismissal"),
      notify: r.strings("notify"),
    };
  });
  const rules: PolicyRules = {
    name: p.string("name"),
    lockAction: p.string("lock_action"),
    reminders,
    expiryNotify: p.strings("expiry_notify"),
    lockNotify: p.strings("lock_notify"),
  };
  try {
    validatePolicyRules(rules);
  } catch (e) {
    throw LicenseFormatError.malformed(`license.${(e as Error).message}`);
  }
  const [graceDays, graceMode] = grace(p);
  return { preset: rules.name, graceDays, graceMode, extensions: p.unknown(CUSTOM_POLICY_KEYS), rules };
}

/** grace_mode, then grace_days, in the Java reader's order. */
function grace(p: Fields): [number, GraceMode] {
  const graceMode = p.string("grace_mode");
  if (graceMode !== "full" && graceMode !== "read-only") {
    throw LicenseFormatError.malformed(
      `license.policy.grace_mode must be "full" or "read-only", found "${graceMode}"`,
    );
  }
  const graceDays = p.wholeNumber("grace_days");
  if (graceDays > MAX_GRACE_DAYS) {
    throw LicenseFormatError.malformed(`license.policy.grace_days must be at most 3650, found ${graceDays}`);
  }
  return [Number(graceDays), graceMode];
}

/** Typed access to one table's fields, with errors that name the full key. */
class Fields {
  constructor(
    private readonly path: string,
    private readonly t: TomlTable,
  ) {}

  private required(key: string): TomlValue {
    const v = this.t.get(key);
    if (v === undefined) throw LicenseFormatError.malformed(`${this.path}.${key} is missing`);
    return v;
  }

  string(key: string): string {
    const v = this.required(key);
    if (typeof v !== "string" || isBlank(v)) throw this.wrongType(key, "a non-empty string", v);
    return v;
  }

  optionalString(key: string): string | undefined {
    return this.t.has(key) ? this.string(key) : undefined;
  }

  wholeNumber(key: string): bigint {
    const v = this.required(key);
    if (typeof v !== "bigint" || v < 0n) throw this.wrongType(key, "a whole number of 0 or more", v);
    return v;
  }

  instant(key: string): number {
    const v = this.required(key);
    if (!(v instanceof OffsetDateTime)) {
      throw this.wrongType(key, "a datetime with an offset, e.g. 2026-11-22T00:00:00Z", v);
    }
    return v.epochMs;
  }

  optionalStrings(key: string): readonly string[] {
    const v = this.t.get(key);
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) {
      throw this.wrongType(key, "an array of strings", v);
    }
    return v as readonly string[];
  }

  table(key: string): TomlTable {
    const v = this.required(key);
    if (!isTable(v)) throw this.wrongType(key, "a table", v);
    return v;
  }

  optionalTable(key: string): TomlTable {
    return this.t.has(key) ? this.table(key) : new Map();
  }

  has(key: string): boolean {
    return this.t.has(key);
  }

  strings(key: string): readonly string[] {
    this.required(key);
    return this.optionalStrings(key);
  }

  tables(key: string): TomlTable[] {
    const v = this.required(key);
    if (!Array.isArray(v) || !v.every((x) => isTable(x))) throw this.wrongType(key, "an array of tables", v);
    return v as TomlTable[];
  }

  refuseUnknown(known: ReadonlySet<string>): void {
    for (const key of [...this.t.keys()].sort()) {
      if (!known.has(key)) throw LicenseFormatError.malformed(`unexpected key '${key}' in ${this.path}`);
    }
  }

  unknown(known: ReadonlySet<string>): TomlTable {
    return new Map([...this.t].filter(([k]) => !known.has(k)));
  }

  private wrongType(key: string, expected: string, found: TomlValue): LicenseFormatError {
    const shown = typeof found === "string" ? `"${found}"` : typeName(found);
    return LicenseFormatError.malformed(`${this.path}.${key} must be ${expected}, found ${shown}`);
  }
}
