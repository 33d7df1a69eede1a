import { isoInstant } from "../time.js";

/** A TOML offset datetime: one instant (offsets like `+09:00` name the same instant as `Z`). */
export class OffsetDateTime {
  constructor(readonly epochMs: number) {}
  toString(): string {
    return isoInstant(this.epochMs);
  }
}

/** A TOML local date, local datetime or local time, as its ISO text (Java's `ISO_LOCAL_*` form). */
export class LocalTemporal {
  constructor(
    readonly kind: "date" | "datetime" | "time",
    readonly text: string,
  ) {}
  toString(): string {
    return this.text;
  }
}

/**
 * The value types a license table may hold once parsed: string, bigint (TOML integer), number (TOML float),
 * boolean, OffsetDateTime, LocalTemporal, arrays and tables (maps; their key order does not matter).
 */
export type TomlValue =
  | string
  | bigint
  | number
  | boolean
  | OffsetDateTime
  | LocalTemporal
  | readonly TomlValue[]
  | TomlTable;
export type TomlTable = ReadonlyMap<string, TomlValue>;

/** Bare TOML keys only: keeps canonical key order equal to byte order. */
const KEY = /^[A-Za-z0-9_-]{1,64}$/;

export function requireKey(path: string, key: string): void {
  if (!KEY.test(key)) {
    throw new TypeError(`${path}: key '${key}' must be 1 to 64 of A-Z, a-z, 0-9, '_' or '-'`);
  }
}

export function isTable(v: TomlValue | undefined): v is TomlTable {
  return v instanceof Map;
}

export function typeName(v: TomlValue | undefined): string {
  if (v === undefined) return "nothing";
  if (typeof v === "string") return "a string";
  if (typeof v === "bigint") return "an integer";
  if (typeof v === "number") return "a float";
  if (typeof v === "boolean") return "a boolean";
  if (v instanceof OffsetDateTime) return "a datetime";
  if (v instanceof LocalTemporal) {
    return v.kind === "date" ? "a local date" : v.kind === "datetime" ? "a local datetime" : "a local time";
  }
  if (Array.isArray(v)) return "an array";
  return "a table";
}

/** A value as Java's `toString()` writes it, for messages that quote what was found. */
export function javaText(v: unknown): string {
  if (typeof v === "number") {
    if (Number.isNaN(v)) return "NaN";
    if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
    if (Object.is(v, -0)) return "-0.0";
    return Number.isInteger(v) && Math.abs(v) < 1e7 ? v.toFixed(1) : String(v);
  }
  if (v instanceof Map) {
    return "{" + [...v.entries()].map(([k, x]) => `${k}=${javaText(x)}`).join(", ") + "}";
  }
  if (Array.isArray(v)) return "[" + v.map(javaText).join(", ") + "]";
  return String(v);
}

/** Java's `String.isBlank()`: empty or only `Character.isWhitespace` characters. */
export function isBlank(s: string): boolean {
  return /^[\t\n\u000B\f\r\u001C-\u001F \u1680\u2000-\u2006\u2008-\u200A\u2028\u2029\u205F\u3000]*$/.test(s);
}
