import { createHmac, timingSafeEqual } from "node:crypto";
import { join } from "node:path";
import { HOUR } from "../time.js";
import { atomicWrite, readBounded } from "./files.js";
import { sortedJson, type StateStatus, type StateStore } from "./state.js";

/**
 * `usage.json`: the usage the product reports, with its time and each month's maxima, signed with the state secret
 * like `state.json`. The same file as the Java client writes, so `keyturn install` of either language checks a
 * downgrade against what the product recorded.
 */
export const USAGE_FILE = "usage.json";
export const USAGE_VERSION = 1;
export const MONTHS_KEPT = 36;
/** How long after the product last reported an install trusts the record. */
export const TRUSTED_FOR_MS = 24 * HOUR;
/** The running product rewrites an unchanged record this often. */
export const HEARTBEAT_MS = HOUR;
const EPOCH = "1970-01-01T00:00:00Z";
const MAC_DOMAIN = "keyturn-usage-v1\n";
const MAX_BYTES = 1024 * 1024;
const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const MONTH = /^[0-9]{4}-(0[1-9]|1[0-2])$/;

export interface UsageRecord {
  readonly version: number;
  readonly recorded_at: string;
  readonly current: Readonly<Record<string, number>>;
  readonly months: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly last_report_sequence: number;
}

export const EMPTY_USAGE: UsageRecord = Object.freeze({ version: USAGE_VERSION, recorded_at: EPOCH, current: {}, months: {}, last_report_sequence: 0 });

export function hasUsage(r: UsageRecord): boolean {
  return r.recorded_at !== EPOCH;
}

function checked(usage: unknown): Record<string, number> {
  if (typeof usage !== "object" || usage === null || Array.isArray(usage)) throw new RangeError("usage must map limit names to whole numbers");
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(usage as Record<string, unknown>)) {
    if (!NAME.test(name)) throw new RangeError(`a usage name must be 1 to 64 of A-Z a-z 0-9 _ -, was "${name}"`);
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) throw new RangeError(`usage of ${name} must be 0 or more, was ${String(value)}`);
    out[name] = value;
  }
  return out;
}

/** The usage reported at `at` becomes current and raises the maxima of `at`'s month (UTC). */
export function withReport(r: UsageRecord, usage: Readonly<Record<string, number>>, at: number): UsageRecord {
  const reported = checked(usage);
  const when = new Date(Math.floor(at / 1000) * 1000);
  const month = when.toISOString().slice(0, 7);
  const months: Record<string, Record<string, number>> = {};
  for (const [m, maxima] of Object.entries(r.months)) months[m] = { ...maxima };
  const maxima = (months[month] ??= {});
  for (const [name, value] of Object.entries(reported)) maxima[name] = Math.max(value, maxima[name] ?? value);
  const keys = Object.keys(months).sort();
  while (keys.length > MONTHS_KEPT) delete months[keys.shift() as string];
  return { ...r, recorded_at: when.toISOString().replace(".000Z", "Z"), current: reported, months };
}

function isRecord(o: unknown): o is UsageRecord {
  if (typeof o !== "object" || o === null) return false;
  const r = o as Record<string, unknown>;
  if (Object.keys(r).sort().join(",") !== "current,last_report_sequence,months,recorded_at,version") return false;
  if (r["version"] !== USAGE_VERSION || typeof r["recorded_at"] !== "string" || Number.isNaN(Date.parse(r["recorded_at"]))) return false;
  if (typeof r["last_report_sequence"] !== "number" || (r["last_report_sequence"] as number) < 0) return false;
  try {
    checked(r["current"]);
    const months = r["months"];
    if (typeof months !== "object" || months === null) return false;
    for (const [m, maxima] of Object.entries(months)) {
      if (!MONTH.test(m)) return false;
      checked(maxima);
    }
  } catch {
    return false;
  }
  return true;
}

function mac(key: Buffer, r: UsageRecord): Buffer {
  return createHmac("sha256", key).update(MAC_DOMAIN).update(sortedJson(r)).digest();
}

export interface UsageLoaded {
  readonly status: StateStatus;
  readonly record: UsageRecord | undefined;
  readonly detail: string;
}

/** Reads and verifies `usage.json`; creates nothing. */
export function loadUsage(store: StateStore): UsageLoaded {
  let bytes: Buffer;
  try {
    bytes = readBounded(join(store.dir, USAGE_FILE), MAX_BYTES);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { status: "FRESH", record: undefined, detail: "no usage recorded yet" };
    return { status: "UNREADABLE", record: undefined, detail: `cannot read ${USAGE_FILE}: ${(e as Error).message}` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    parsed = undefined;
  }
  const file = parsed as Record<string, unknown> | undefined;
  if (
    typeof file !== "object" ||
    file === null ||
    Object.keys(file).sort().join(",") !== "mac,usage" ||
    typeof file["mac"] !== "string" ||
    !isRecord(file["usage"])
  ) {
    return { status: "UNREADABLE", record: undefined, detail: `${USAGE_FILE} is not a valid usage record` };
  }
  const record = file["usage"] as UsageRecord;
  const key = store.readKey();
  if (!key) return { status: "FORGED", record: undefined, detail: "state.key is missing" };
  const actual = /^[0-9a-f]*$/i.test(file["mac"] as string) ? Buffer.from(file["mac"] as string, "hex") : Buffer.alloc(0);
  const expected = mac(key, record);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    return { status: "FORGED", record: undefined, detail: `${USAGE_FILE} does not carry a valid signature: it was edited or replaced` };
  }
  return { status: "OK", record, detail: "verified" };
}

/** Signs and writes the record; call it holding the store's lock. */
export function writeUsage(store: StateStore, r: UsageRecord): void {
  const key = store.keyForWriting();
  atomicWrite(join(store.dir, USAGE_FILE), sortedJson({ mac: mac(key, r).toString("hex"), usage: r }));
}

/** Where an install without a usage probe took its usage from, and whether it is too old to trust. */
export function recordedUsageNote(r: UsageRecord, now: number): string {
  if (!hasUsage(r)) return "";
  if (now > Date.parse(r.recorded_at) + TRUSTED_FOR_MS) {
    return ` (usage as the product recorded it at ${r.recorded_at}, more than ${TRUSTED_FOR_MS / HOUR} hours ago, too old to trust: start the product so that it records its current usage, then install again)`;
  }
  return ` (usage as the product recorded it at ${r.recorded_at})`;
}
