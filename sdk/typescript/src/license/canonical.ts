import { LocalTemporal, OffsetDateTime, type TomlTable, type TomlValue } from "./values.js";

/**
 * The bytes a license signature covers (docs/license-format.md): `format` and the parsed `[license]` table, never
 * the raw text. Byte for byte what Java's `CanonicalForm` writes.
 */
export const CANONICAL_PREFIX = "keyturn-license-v1\n";

export function canonicalBytes(format: bigint, license: TomlTable): Buffer {
  const root = new Map<string, TomlValue>([
    ["format", format],
    ["license", license],
  ]);
  return Buffer.from(CANONICAL_PREFIX + write(root), "utf8");
}

function write(v: TomlValue): string {
  if (typeof v === "string") return quote(v);
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") return "f" + floatBits(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v instanceof OffsetDateTime) return "t" + v.toString();
  if (v instanceof LocalTemporal) return (v.kind === "date" ? "d" : v.kind === "datetime" ? "l" : "h") + v.text;
  if (Array.isArray(v)) return "[" + v.map(write).join(",") + "]";
  const table = v as TomlTable;
  const keys = [...table.keys()].sort();
  return "{" + keys.map((k) => k + "=" + write(table.get(k) as TomlValue)).join(",") + "}";
}

/** The 16 hex digits of the IEEE-754 bits, NaN collapsed to Java's canonical NaN. */
function floatBits(n: number): string {
  if (Number.isNaN(n)) return "7ff8000000000000";
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, n);
  return view.getBigUint64(0).toString(16).padStart(16, "0");
}

function quote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) {
      out += "\\" + s[i];
    } else if (c < 0x20 || c === 0x7f) {
      out += "\\u" + c.toString(16).padStart(4, "0");
    } else {
      out += s[i];
    }
  }
  return out + '"';
}
