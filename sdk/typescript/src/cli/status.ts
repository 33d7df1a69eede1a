import { readdirSync, accessSync, constants, existsSync } from "node:fs";
import { join } from "node:path";
import type { InstallResult } from "../client/installer.js";
import type { BannerView, ClientStanding } from "../client/standing.js";
import { KEY_FILE } from "../client/state.js";
import { LICENSES_DIR, LICENSE_SUFFIX } from "../client/history.js";
import type { License } from "../license/license.js";
import type { Mode } from "../lifecycle/policy.js";
import type { Zone } from "../lifecycle/zone.js";
import { isoInstant } from "../time.js";
import { licenseIdentity, sortedLimits } from "../license/view.js";
import type { LoweredLimit } from "./run.js";

export interface Output {
  write(s: string): void;
  color: boolean;
}

/** 0 in full mode, 3 read-only, 4 locked: a monitoring script needs nothing else. */
export function exitCode(mode: Mode): number {
  return mode === "FULL" ? 0 : mode === "READ_ONLY" ? 3 : 4;
}

/** The status line: the summary, saying "locked" whenever the product is and "read-only" during a read-only grace. */
export function headline(s: ClientStanding): string {
  if (s.mode === "FULL") return s.summary;
  if (s.mode === "READ_ONLY") return `${s.summary} (read-only)`;
  return s.summary.startsWith("locked") ? s.summary : `locked: ${s.summary}`;
}

const ANSI: Record<string, string> = { NONE: "\u001b[1;32m", INFO: "\u001b[1;36m", WARNING: "\u001b[1;33m", DANGER: "\u001b[1;31m", LOCK: "\u001b[1;31m" };

export function printStatus(out: Output, s: ClientStanding, stateDir: string, zone: Zone): void {
  const line = headline(s);
  out.write((out.color ? `${ANSI[s.banner.level]}${line}\u001b[0m` : line) + "\n");
  const rows: [string, string][] = [];
  const when = (ms: number) => zone.isoLike(ms);
  if (s.license) {
    rows.push(["customer", s.license.customer], ["license", s.license.id], ["tier", s.license.tier], ["expires", when(s.license.expiresAt)]);
    if (s.locksAt !== undefined) rows.push(["locks", when(s.locksAt)]);
  } else {
    rows.push(["license", "none installed"], ["hint", noLicenseHint(stateDir)]);
  }
  rows.push(["mode", { FULL: "FULL (the product works normally)", READ_ONLY: "READ_ONLY (data can be viewed, not changed)", LOCKED: "LOCKED (lock screen with a paste box; no data is touched)" }[s.mode]]);
  const flags = s.flags.length === 0 ? "none" : s.flags.join(", ");
  rows.push(["flags", out.color && s.flags.length > 0 ? `\u001b[33m${flags}\u001b[0m` : flags]);
  if (s.flags.includes("STATE_RESET") && secretUnreadable(stateDir)) {
    rows.push([
      "note",
      `this user cannot read ${KEY_FILE}, so the signed state could not be checked (hence STATE_RESET); run as the product's user for the full picture`,
    ]);
  }
  if (s.flags.includes("CLOCK_ROLLBACK")) {
    rows.push(["clock", `${when(s.clockTime)}; licensing uses ${when(s.evaluatedAt)}, the latest time seen`]);
  }
  rows.push(["banner", bannerText(s.banner, zone)]);
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [k, v] of rows) out.write(`  ${k.padEnd(width)}  ${v}\n`);
}

function bannerText(b: BannerView, zone: Zone): string {
  switch (b.display) {
    case "NONE":
      return "none";
    case "SHOWN":
      return b.text;
    case "HIDDEN":
      return b.text + (b.hiddenUntil === undefined ? "" : ` [dismissed until ${zone.isoLike(b.hiddenUntil)}]`);
    case "PILL":
      return `${b.text} [collapsed to a pill: ${b.pillText}]`;
  }
}

function noLicenseHint(stateDir: string): string {
  const dir = join(stateDir, LICENSES_DIR);
  let files = 0;
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(LICENSE_SUFFIX)).length;
  } catch {
    files = 0;
  }
  if (files > 0) {
    return `${files} license file(s) in ${dir} but none is signed by the trusted keys for this instance: check --trust and --instance-domain`;
  }
  return `install one with: keyturn install FILE --state-dir ${stateDir} --trust KEYS`;
}

function secretUnreadable(stateDir: string): boolean {
  const secret = join(stateDir, KEY_FILE);
  if (!existsSync(secret)) return false;
  try {
    accessSync(secret, constants.R_OK);
    return false;
  } catch {
    return true;
  }
}

const iso = (ms: number | undefined) => (ms === undefined ? null : isoInstant(ms));

/** The license in force as `status` and `install` print it in JSON (the Java CLI's `LicenseInfo`). */
export function licenseInfo(l: License) {
  return {
    ...licenseIdentity(l),
    features: l.features,
    limits: sortedLimits(l),
    issued_at: isoInstant(l.issuedAt),
    not_before: isoInstant(l.notBefore),
    expires_at: isoInstant(l.expiresAt),
    policy: { preset: l.policy.preset, grace_days: l.policy.graceDays, grace_mode: l.policy.graceMode },
  };
}

/** `keyturn status --json` (the Java CLI's `StatusView`). */
export function statusJson(s: ClientStanding) {
  return {
    summary: s.summary,
    phase: s.phase,
    mode: s.mode,
    stage: s.stageId === "" ? null : s.stageId,
    days_until_expiry: s.daysUntilExpiry,
    days_until_lock: s.daysUntilLock,
    expires_at: iso(s.expiresAt),
    locks_at: iso(s.locksAt),
    flags: s.flags,
    notices: s.notices,
    banner: {
      level: s.banner.level,
      text: s.banner.text,
      display: s.banner.display,
      dismissal: s.banner.dismissal,
      hidden_until: iso(s.banner.hiddenUntil),
      pill_text: s.banner.pillText === "" ? null : s.banner.pillText,
    },
    license: s.license ? licenseInfo(s.license) : null,
    evaluated_at: isoInstant(s.evaluatedAt),
    clock_time: isoInstant(s.clockTime),
    next_change_at: iso(s.nextChangeAt),
  };
}

/** `keyturn install --json` (the Java CLI's `InstallCommand.Result`). */
export function installJson(r: InstallResult, lowered: readonly LoweredLimit[], standing: ClientStanding) {
  return {
    code: r.code,
    message: r.message,
    installed: r.installed,
    in_force: r.inForce,
    license: r.license ? licenseInfo(r.license) : null,
    excesses: r.excesses.map((e) => ({ limit: e.limit, usage: e.usage, new_value: e.newValue })),
    lowered_limits: lowered,
    status: statusJson(standing),
  };
}
