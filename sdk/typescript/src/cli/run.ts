import { statSync } from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { LicenseManager } from "../client/manager.js";
import { KeyRing } from "../crypto/keys.js";
import { KeyturnError, LicenseFormatError } from "../errors.js";
import { normalizeDomain } from "../license/domain.js";
import { readLicense } from "../license/reader.js";
import { licenseJson } from "../license/view.js";
import type { License } from "../license/license.js";
import { Zone } from "../lifecycle/zone.js";
import { verify } from "../verify.js";
import { readBounded } from "../client/files.js";
import { DEFAULT_READ_LIMITS } from "../license/reader.js";
import { exitCode, headline, installJson, printStatus, statusJson, type Output } from "./status.js";

/** How the command talks to the world; tests pass their own. */
export interface Io {
  out(s: string): void;
  err(s: string): void;
  /** The wall clock (epoch ms). */
  now(): number;
  color: boolean;
}

const USAGE = 2;

class UsageError extends Error {}

const HELP = `Usage: keyturn [-h] COMMAND
Signed offline license files and their lifecycle (the Node.js edition of the keyturn command).
Commands:
  license verify FILE --trust DIR_OR_PEM... [--at ISO] [--instance-domain D] [--json]
  status --state-dir DIR --trust DIR_OR_PEM... [--instance-domain D] [--zone ZONE] [--json]
  install FILE --state-dir DIR --trust DIR_OR_PEM... [--instance-domain D] [--zone ZONE] [--json]
Exit codes:
  0  success; for status: the product works normally (full mode)
  1  invalid license, or the operation failed (the reason is printed)
  2  usage error (a missing or malformed option)
  3  status: the product is read-only (grace of a read-only policy)
  4  status: the product is locked (no license, grace over, or revoked)
`;

/** Runs `keyturn ARGS…` and returns the exit code: the same arguments, JSON and exit codes as the Java CLI. */
export function run(args: readonly string[], io: Io): number {
  try {
    const [command, sub] = args;
    if (command === undefined) {
      io.out(HELP);
      return USAGE;
    }
    if (args.includes("-h") || args.includes("--help")) {
      io.out(HELP);
      return 0;
    }
    if (command === "license" && sub === "verify") return verifyCommand(args.slice(2), io);
    if (command === "status") return statusCommand(args.slice(1), io);
    if (command === "install") return installCommand(args.slice(1), io);
    throw new UsageError(`Unknown command: '${args.slice(0, command === "license" ? 2 : 1).join(" ")}'`);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.err(`keyturn: ${(e as Error).message}\nTry 'keyturn --help' for more information.\n`);
      return USAGE;
    }
    if (e instanceof KeyturnError || e instanceof TypeError || e instanceof RangeError) {
      const code = e instanceof LicenseFormatError ? `${e.code}: ` : "";
      io.err(`keyturn: ${code}${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

const PRODUCT_OPTIONS = {
  "state-dir": { type: "string" },
  trust: { type: "string", multiple: true },
  "instance-domain": { type: "string" },
  zone: { type: "string" },
  json: { type: "boolean" },
} as const satisfies ParseArgsConfig["options"];

function parse<O extends NonNullable<ParseArgsConfig["options"]>>(args: readonly string[], options: O) {
  return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
}

function required<T>(value: T | undefined, option: string, what: string): T {
  if (value === undefined) throw new UsageError(`Missing required option: '${option}'\n  ${option}: ${what}`);
  return value;
}

function file(positionals: string[]): string {
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? "Missing required parameter: 'FILE'" : `Unmatched argument: '${positionals[1]}'`);
  }
  return positionals[0] as string;
}

function ring(trust: string[] | undefined): KeyRing {
  return KeyRing.fromPaths(...required(trust, "--trust", "A trusted public key (<id>.public.pem) or a folder of them (repeatable)."));
}

function domain(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return normalizeDomain(value);
  } catch (e) {
    throw new UsageError(`Invalid value for option '--instance-domain': ${(e as Error).message}`);
  }
}

function zone(value: string | undefined): Zone {
  if (value === undefined) return Zone.system();
  try {
    return Zone.of(value);
  } catch {
    throw new UsageError(`Invalid value for option '--zone': '${value}' is not a time zone; use a region like Europe/Berlin, UTC or +02:00`);
  }
}

/** `2027-11-22T00:00:00Z`, `2027-11-22T09:00:00+01:00`, or `2027-11-22` (midnight UTC). */
function instant(value: string): number {
  const s = value.trim();
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(s)
    ? Date.parse(s + "T00:00:00Z")
    : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(s)
      ? Date.parse(s)
      : NaN;
  if (Number.isNaN(ms)) {
    throw new UsageError(
      `Invalid value for option '--at': '${value}' is not a date or an instant; use 2027-11-22T00:00:00Z, 2027-11-22T09:00:00+01:00 or 2027-11-22 (midnight UTC)`,
    );
  }
  return ms;
}

/** A file that is not there is a failed operation (exit 1), not a MALFORMED license. */
function requireFile(path: string): void {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new KeyturnError(`no such file: ${path}`);
  }
  if (stat.isDirectory()) throw new KeyturnError(`${path} is a folder; give the .license.toml file in it`);
}

function readFile(path: string) {
  return readLicense(readBounded(path, DEFAULT_READ_LIMITS.maxFileBytes));
}

function verifyCommand(args: readonly string[], io: Io): number {
  const { values, positionals } = parse(args, {
    trust: { type: "string", multiple: true },
    at: { type: "string" },
    "instance-domain": { type: "string" },
    json: { type: "boolean" },
  });
  const path = file(positionals);
  const keys = ring(values.trust);
  const at = values.at !== undefined ? instant(values.at) : io.now();
  const instanceDomain = domain(values["instance-domain"]);
  requireFile(path);
  let v;
  try {
    v = verify(readFile(path), keys, { at, instanceDomain });
  } catch (e) {
    if (!(e instanceof LicenseFormatError)) throw e;
    v = { code: e.code, message: e.message, license: undefined, valid: false };
  }
  const view = v.license ? licenseJson(v.license) : null;
  if (values.json) {
    io.out(JSON.stringify({ code: v.code, message: v.message, license: view }, null, 2) + "\n");
  } else {
    // The verdict goes where a script looks for it: stdout when valid, stderr when not; the
    // license's fields stay with it, so one message is on one stream.
    const verdict = v.valid ? io.out : io.err;
    verdict(`${v.code}: ${v.message}\n`);
    if (view) verdict(fields(keyFields(view)));
  }
  return v.valid ? 0 : 1;
}

function keyFields(l: ReturnType<typeof licenseJson>): [string, string][] {
  return [
    ["id", l.id],
    ["subscription_id", l.subscription_id],
    ["customer", l.customer],
    ["instance_domain", l.instance_domain ?? "(any instance)"],
    ["tier", l.tier],
    ["seats", l.seats === 0 ? "unlimited" : String(l.seats)],
    ["not_before", l.not_before],
    ["expires_at", l.expires_at],
    ["key_id", l.key_id],
  ];
}

export function fields(rows: [string, string][], indent = "  "): string {
  const width = Math.max(0, ...rows.map((r) => r[0].length));
  return rows.map(([k, v]) => `${indent}${k.padEnd(width)}  ${v}\n`).join("");
}

function requireStateDir(dir: string, hint: string): void {
  let stat;
  try {
    stat = statSync(dir);
  } catch {
    throw new KeyturnError(`no such directory: ${dir}; ${hint}`);
  }
  if (!stat.isDirectory()) throw new KeyturnError(`${dir} is not a directory; ${hint}`);
}

function manager(values: { trust?: string[]; "state-dir"?: string; "instance-domain"?: string }, z: Zone, io: Io, readOnly: boolean): LicenseManager {
  const stateDir = values["state-dir"] as string;
  const instanceDomain = domain(values["instance-domain"]);
  return new LicenseManager({
    stateDir,
    trustedKeys: ring(values.trust),
    ...(instanceDomain === undefined ? {} : { instanceDomain }),
    clock: { now: io.now },
    monotonic: () => performance.now(),
    zone: z,
    background: false,
    readOnly,
  });
}

function statusCommand(args: readonly string[], io: Io): number {
  const { values, positionals } = parse(args, PRODUCT_OPTIONS);
  if (positionals.length > 0) throw new UsageError(`Unmatched argument: '${positionals[0]}'`);
  const stateDir = required(values["state-dir"], "--state-dir", "The product's license state directory (licenses/, state.json, audit.log).");
  ring(values.trust);
  const z = zone(values.zone);
  requireStateDir(stateDir, "give the directory the product keeps its licenses in");
  const m = manager(values, z, io, true);
  const standing = m.standing();
  m.close();
  const out: Output = { write: io.out, color: io.color };
  if (values.json) {
    io.out(JSON.stringify(statusJson(standing), null, 2) + "\n");
  } else {
    printStatus(out, standing, stateDir, z);
  }
  return exitCode(standing.mode);
}

function installCommand(args: readonly string[], io: Io): number {
  const { values, positionals } = parse(args, PRODUCT_OPTIONS);
  const path = file(positionals);
  const stateDir = required(values["state-dir"], "--state-dir", "The product's license state directory (licenses/, state.json, audit.log).");
  ring(values.trust);
  const z = zone(values.zone);
  requireStateDir(stateDir, "give the directory the product keeps its licenses in (create it first if the product has never run)");
  requireFile(path);
  const m = manager(values, z, io, false);
  let result;
  let standing;
  let lowered;
  try {
    const before = m.standing().license;
    result = m.installFile(path);
    standing = m.standing();
    lowered = result.inForce && result.license ? loweredLimits(before, result.license) : [];
  } finally {
    m.close();
  }
  if (values.json) {
    io.out(JSON.stringify(installJson(result, lowered, standing), null, 2) + "\n");
  } else if (result.installed) {
    io.out(`${result.message.charAt(0).toUpperCase()}${result.message.slice(1)}.\n`);
    if (lowered.length > 0 && !result.message.includes("(usage as the product recorded it")) {
      io.err(
        `keyturn: note: this license lowers ${lowered.map(describeLowered).join(", ")}. The product has not recorded its usage in its state directory, so keyturn did not check that usage fits the new limits (the product's own install does).\n`,
      );
    }
    io.out("\nIn force now:\n");
    printStatus({ write: io.out, color: io.color }, standing, stateDir, z);
  } else {
    const inForce = standing.license ? `${standing.license.id} (${standing.license.customer}), ` : "";
    io.err(`keyturn: ${result.code}: ${result.message}\nkeyturn: nothing was installed; in force: ${inForce}${headline(standing)}\n`);
  }
  return result.installed ? 0 : 1;
}

/** A limit a newly installed license lowers (`from` null = unlimited); the CLI cannot check it against usage. */
export interface LoweredLimit {
  readonly limit: string;
  readonly from: number | null;
  readonly to: number;
}

function loweredLimits(before: License | undefined, after: License): LoweredLimit[] {
  if (!before) return [];
  const names = new Set([...before.limits.keys(), ...after.limits.keys(), "seats"]);
  const value = (l: License, name: string): number | null =>
    l.limits.get(name) ?? (name === "seats" && l.seats > 0 ? l.seats : null);
  const out: LoweredLimit[] = [];
  for (const name of [...names].sort()) {
    const from = value(before, name);
    const to = value(after, name);
    if (to !== null && (from === null || to < from)) out.push({ limit: name, from, to });
  }
  return out;
}

function describeLowered(l: LoweredLimit): string {
  return `${l.limit} from ${l.from ?? "unlimited"} to ${l.to}`;
}
