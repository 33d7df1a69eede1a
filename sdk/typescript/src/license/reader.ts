import { createHash } from "node:crypto";
import { parse, TomlDate, TomlError } from "smol-toml";
import { LicenseFormatError } from "../errors.js";
import { canonicalBytes } from "./canonical.js";
import { checkKeys, licenseFromTable, type License } from "./license.js";
import { prescan } from "./prescan.js";
import { isBlank, javaText, LocalTemporal, OffsetDateTime, type TomlTable, type TomlValue } from "./values.js";

/** Bounds the reader enforces before and while parsing, so a hostile file cannot exhaust memory or stack. */
export interface ReadLimits {
  readonly maxFileBytes: number;
  readonly maxStringLength: number;
  readonly maxArrayLength: number;
  /** Root table = depth 1, so `[license.policy]` is depth 3. */
  readonly maxNestingDepth: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = Object.freeze({
  maxFileBytes: 64 * 1024,
  maxStringLength: 4096,
  maxArrayLength: 1024,
  maxNestingDepth: 8,
});

/** The format of a license naming a preset. */
export const FORMAT = 1n;
/** The newest format read: a license carrying a whole custom policy (docs/license-format.md). */
export const MAX_FORMAT = 2n;
export const CHECK_IN_TOKEN_PREFIX = "kt_lic_";
const TOP_LEVEL_KEYS = new Set(["format", "license", "signature"]);
const SIGNATURE_KEYS = new Set(["algorithm", "key_id", "value"]);
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The `[signature]` table; `value` is base64 without whitespace. */
export interface LicenseSignature {
  readonly algorithm: "ed25519";
  readonly keyId: string;
  readonly value: string;
}

/**
 * A license file as read: the typed license, the exact table that was signed, and the signature. Signatures are
 * checked against `canonicalBytes()`, which comes from `table` (what the file says), not from the typed view.
 */
export class SignedLicense {
  constructor(
    readonly format: bigint,
    readonly table: TomlTable,
    readonly license: License,
    readonly signature: LicenseSignature,
  ) {}

  canonicalBytes(): Buffer {
    return canonicalBytes(this.format, this.table);
  }

  signatureBytes(): Buffer {
    return Buffer.from(this.signature.value, "base64");
  }

  /** The hex SHA-256 of the signature bytes: a short, stable name for this exact license. */
  signatureHash(): string {
    return createHash("sha256").update(this.signatureBytes()).digest("hex");
  }

  /** The bearer token a product presents at check-in. */
  checkInToken(): string {
    return CHECK_IN_TOKEN_PREFIX + this.signatureHash();
  }
}

/**
 * Reads `.license.toml` text (or bytes, which must be UTF-8). Every problem becomes a LicenseFormatError
 * (MALFORMED or UNSUPPORTED_FORMAT) naming what is wrong; nothing else escapes, whatever the input.
 */
export function readLicense(input: string | Uint8Array, limits: ReadLimits = DEFAULT_READ_LIMITS): SignedLicense {
  let text: string;
  if (typeof input === "string") {
    text = input;
  } else {
    checkSize(input.length, limits);
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(input);
    } catch {
      throw LicenseFormatError.malformed("the file is not valid UTF-8 text");
    }
  }
  checkSize(text.length, limits);
  checkSize(Buffer.byteLength(text, "utf8"), limits);
  if (text.startsWith("\uFEFF")) text = text.slice(1); // a byte-order mark, as some Windows editors add
  prescan(text, limits.maxNestingDepth);

  let toml: Record<string, unknown>;
  try {
    toml = parse(text, { integersAsBigInt: true, maxDepth: limits.maxNestingDepth + 2 }) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) {
      const first = e.message.split("\n")[0]?.replace(/^Invalid TOML document: /, "") ?? "";
      throw LicenseFormatError.malformed(`not a valid TOML file: line ${e.line}, column ${e.column}: ${first}`);
    }
    throw LicenseFormatError.malformed("not a valid TOML file");
  }
  for (const key of Object.keys(toml)) {
    if (!TOP_LEVEL_KEYS.has(key)) {
      throw LicenseFormatError.malformed(
        `unexpected top-level key '${key}': a license file holds only format, [license] and [signature]`,
      );
    }
  }
  const format = readFormat(toml["format"]);
  if (!isPlainTable(toml["license"])) throw LicenseFormatError.malformed("the [license] table is missing");
  if (!isPlainTable(toml["signature"])) {
    throw LicenseFormatError.malformed("the [signature] table is missing; was the file signed?");
  }
  const table = new Converter(limits).table(toml["license"] as Record<string, unknown>, "license", 2);
  try {
    checkKeys("license", table);
  } catch (e) {
    throw LicenseFormatError.malformed((e as Error).message);
  }
  const license = licenseFromTable(table, format);
  const signature = readSignature(toml["signature"] as Record<string, unknown>);
  return new SignedLicense(format, table, license, signature);
}

function checkSize(size: number, limits: ReadLimits): void {
  if (size > limits.maxFileBytes) {
    throw LicenseFormatError.malformed(
      `the file is larger than ${limits.maxFileBytes} bytes (ReadLimits.maxFileBytes); a license file is a few hundred bytes`,
    );
  }
}

function isPlainTable(v: unknown): boolean {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function readFormat(v: unknown): bigint {
  if (v === undefined) {
    throw LicenseFormatError.malformed("'format' is missing; a license file starts with format = 1");
  }
  if (typeof v !== "bigint" || v < 1n) {
    throw LicenseFormatError.malformed(
      `'format' must be a positive whole number, found ${javaText(safeValue(v))}`,
    );
  }
  if (v > MAX_FORMAT) {
    throw new LicenseFormatError(
      "UNSUPPORTED_FORMAT",
      `license format ${v} is newer than this product understands (format ${MAX_FORMAT}); update the product to use this license`,
    );
  }
  return v;
}

function safeValue(v: unknown): unknown {
  return v instanceof TomlDate ? convertDate(v) : v;
}

function readSignature(t: Record<string, unknown>): LicenseSignature {
  for (const key of Object.keys(t)) {
    if (!SIGNATURE_KEYS.has(key)) throw LicenseFormatError.malformed(`unexpected key '${key}' in [signature]`);
  }
  const algorithm = signatureString(t, "algorithm");
  if (algorithm !== "ed25519") {
    throw new LicenseFormatError(
      "UNSUPPORTED_FORMAT",
      `signature algorithm "${algorithm}" is not supported; this reader knows "ed25519"`,
    );
  }
  const keyId = signatureString(t, "key_id");
  // Whitespace is dropped so that a value wrapped by a mail program still reads.
  const value = signatureString(t, "value").replace(/[ \t\n\u000B\f\r]+/g, "");
  if (!isStrictBase64(value)) throw LicenseFormatError.malformed("signature.value is not valid base64");
  const bytes = Buffer.from(value, "base64").length;
  if (bytes !== 64) {
    throw LicenseFormatError.malformed(`signature.value must be 64 bytes of Ed25519 signature, found ${bytes}`);
  }
  return { algorithm, keyId, value };
}

/** As strict as Java's `Base64.getDecoder()`: the alphabet only, padding only at the end. */
function isStrictBase64(s: string): boolean {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return false;
  return s.includes("=") ? s.length % 4 === 0 : s.length % 4 !== 1;
}

function signatureString(t: Record<string, unknown>, key: string): string {
  const v = t[key];
  if (typeof v !== "string" || isBlank(v)) {
    throw LicenseFormatError.malformed(`signature.${key} must be a non-empty string`);
  }
  return v;
}

function convertDate(d: TomlDate): OffsetDateTime | LocalTemporal {
  if (!d.isLocal()) return new OffsetDateTime(d.getTime());
  const iso = Date.prototype.toISOString.call(d); // TomlDate's own toISOString() shortens local values
  if (d.isDate()) return new LocalTemporal("date", iso.slice(0, 10));
  const time = localTime(d);
  return d.isTime() ? new LocalTemporal("time", time) : new LocalTemporal("datetime", `${iso.slice(0, 10)}T${time}`);
}

/** `HH:mm:ss` and the fraction without trailing zeros, as Java's `ISO_LOCAL_TIME` writes it. */
function localTime(d: Date): string {
  const hms = Date.prototype.toISOString.call(d).slice(11, 19);
  const ms = d.getUTCMilliseconds();
  return ms === 0 ? hms : `${hms}.${String(ms).padStart(3, "0").replace(/0+$/, "")}`;
}

/** From the parser's objects to license values, enforcing the string, array and nesting limits. */
class Converter {
  constructor(private readonly limits: ReadLimits) {}

  table(t: Record<string, unknown>, path: string, depth: number): TomlTable {
    this.checkDepth(path, depth);
    const out = new Map<string, TomlValue>();
    for (const key of Object.keys(t)) {
      out.set(key, this.value(t[key], `${path}.${key}`, depth));
    }
    return out;
  }

  private value(v: unknown, path: string, depth: number): TomlValue {
    if (Array.isArray(v)) {
      this.checkDepth(path, depth + 1);
      if (v.length > this.limits.maxArrayLength) {
        throw LicenseFormatError.malformed(
          `${path} has ${v.length} items, more than ${this.limits.maxArrayLength} (ReadLimits.maxArrayLength)`,
        );
      }
      return Object.freeze(v.map((item, i) => this.value(item, `${path}[${i}]`, depth + 1)));
    }
    if (v instanceof TomlDate) return convertDate(v);
    if (typeof v === "string") {
      if (v.length > this.limits.maxStringLength) {
        throw LicenseFormatError.malformed(
          `${path} is ${v.length} characters long, more than ${this.limits.maxStringLength} (ReadLimits.maxStringLength)`,
        );
      }
      return v;
    }
    if (typeof v === "bigint") {
      if (v < INT64_MIN || v > INT64_MAX) {
        throw LicenseFormatError.malformed(`not a valid TOML file: ${path} is an integer beyond 64 bits`);
      }
      return v;
    }
    if (typeof v === "number" || typeof v === "boolean") return v;
    if (typeof v === "object" && v !== null) {
      return this.table(v as Record<string, unknown>, path, depth + 1);
    }
    throw LicenseFormatError.malformed(`${path} has a value of an unsupported type`);
  }

  private checkDepth(path: string, depth: number): void {
    if (depth > this.limits.maxNestingDepth) {
      throw LicenseFormatError.malformed(
        `${path} is nested ${depth} levels deep, more than ${this.limits.maxNestingDepth} (ReadLimits.maxNestingDepth)`,
      );
    }
  }
}
