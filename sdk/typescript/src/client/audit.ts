import { createHash } from "node:crypto";
import { closeSync, fsyncSync, openSync, readFileSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { isoInstant } from "../time.js";
import { StateStore } from "./state.js";

export const AUDIT_FILE = "audit.log";
/** The `prev` of the first line. */
export const GENESIS = "0".repeat(64);

export interface AuditEntry {
  readonly seq: number;
  readonly at: number;
  readonly event: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly prev: string;
}

export interface Tail {
  readonly lines: number;
  readonly hash: string;
  readonly lastAt: number | undefined;
}

export interface AuditVerification {
  readonly lines: number;
  /** The first line that was changed, removed or cannot be read; undefined when intact. */
  readonly brokenLine: number | undefined;
  readonly message: string;
  readonly intact: boolean;
}

function ok(lines: number, message: string): AuditVerification {
  return { lines, brokenLine: undefined, message, intact: true };
}

function broken(lines: number, line: number, message: string): AuditVerification {
  return { lines, brokenLine: line, message, intact: false };
}

export function sha256(line: string): string {
  return createHash("sha256").update(line, "utf8").digest("hex");
}

/**
 * The local audit log: one JSON object per line, each carrying the SHA-256 of the line before it, as the Java client
 * writes it. Editing or removing a line breaks the chain; cutting lines off the end is caught by the line count and
 * last hash kept in the signed state file. Evidence for an administrator, not a lock.
 */
export class AuditLog {
  readonly file: string;

  constructor(stateDir: string) {
    this.file = join(stateDir, AUDIT_FILE);
  }

  tail(): Tail {
    const lines = this.lines();
    const last = lines[lines.length - 1];
    if (last === undefined) return { lines: 0, hash: GENESIS, lastAt: undefined };
    let lastAt: number | undefined;
    for (let i = lines.length - 1; i >= 0 && lastAt === undefined; i--) lastAt = parseEntry(lines[i] as string)?.at;
    return { lines: lines.length, hash: sha256(last), lastAt };
  }

  /** Appends one entry chained to whatever the last line is now, and forces it to disk. */
  append(at: number, event: string, data: Readonly<Record<string, unknown>>): Tail {
    const lines = this.lines();
    const last = lines[lines.length - 1];
    const line = JSON.stringify({ seq: lines.length + 1, at: isoInstant(at), event, data, prev: last === undefined ? GENESIS : sha256(last) });
    const torn = this.endsWithoutNewline();
    const fd = openSync(this.file, "a");
    try {
      // A line torn by a crash stays as it is (verify reports it); the new entry starts a line.
      writeSync(fd, (torn ? "\n" : "") + line + "\n");
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return { lines: lines.length + 1, hash: sha256(line), lastAt: at };
  }

  hashOfLine(n: number): string | undefined {
    const lines = this.lines();
    return n >= 1 && n <= lines.length ? sha256(lines[n - 1] as string) : undefined;
  }

  entries(): AuditEntry[] {
    return this.lines()
      .map(parseEntry)
      .filter((e): e is AuditEntry => e !== undefined);
  }

  /** Verifies the log of a state directory against the state file's record of it, when that file can be trusted. */
  static verifyDirectory(stateDir: string): AuditVerification {
    const loaded = new StateStore(stateDir).load();
    const expected = loaded.status === "OK" && loaded.state ? { lines: loaded.state.audit_lines, hash: loaded.state.audit_head } : undefined;
    return new AuditLog(stateDir).verify(expected);
  }

  /** Walks the chain from the first line; `expected` is the tail recorded in the state file. */
  verify(expected?: { lines: number; hash: string }): AuditVerification {
    let text: string;
    try {
      text = readFileSync(this.file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") {
        return broken(0, 1, `cannot read ${this.file}: ${(e as Error).message}`);
      }
      text = "";
    }
    const incompleteLast = text.length > 0 && !text.endsWith("\n");
    const lines = split(text);
    const count = lines.length;
    let prevHash = GENESIS;
    let hashAtExpected: string | undefined;
    for (let i = 0; i < count; i++) {
      const n = i + 1;
      const line = lines[i] as string;
      const e = parseEntry(line);
      if (!e) {
        return broken(count, n, n === count && incompleteLast ? `line ${n} is incomplete: its write was interrupted` : `line ${n} is not a valid audit entry`);
      }
      if (e.seq !== n) {
        return e.seq > n
          ? broken(count, n, `line ${n} is missing: the entry found there is number ${e.seq}; ${e.seq - n} line(s) were removed`)
          : broken(count, n, `line ${n} carries number ${e.seq}: lines were copied or reordered`);
      }
      if (e.prev !== prevHash) {
        return n === 1
          ? broken(count, 1, "line 1 was changed: it does not start the chain")
          : broken(count, n - 1, `line ${n - 1} was changed after it was written: line ${n} records a different hash for it`);
      }
      prevHash = sha256(line);
      if (expected && n === expected.lines) hashAtExpected = prevHash;
    }
    if (expected && expected.lines > 0) {
      if (count < expected.lines) {
        return broken(count, count + 1, `line ${count + 1} is missing: the log ends after ${count} lines, the state file records ${expected.lines}`);
      }
      if (expected.hash !== hashAtExpected) {
        return broken(count, expected.lines, `line ${expected.lines} was changed: the state file records a different hash for it`);
      }
    }
    return ok(count, count === 0 ? "the audit log is empty" : `all ${count} lines are intact and chained`);
  }

  private lines(): string[] {
    try {
      return split(readFileSync(this.file, "utf8"));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw e;
    }
  }

  private endsWithoutNewline(): boolean {
    try {
      if (statSync(this.file).size === 0) return false;
      return !readFileSync(this.file, "utf8").endsWith("\n");
    } catch {
      return false;
    }
  }
}

/** Lines without their terminators; a last line without one still counts. */
function split(text: string): string[] {
  const out = text.split("\n");
  if (out[out.length - 1] === "") out.pop();
  return out;
}

function parseEntry(line: string): AuditEntry | undefined {
  try {
    const o = JSON.parse(line) as Record<string, unknown>;
    if (
      typeof o !== "object" || o === null || !Number.isInteger(o["seq"]) || typeof o["at"] !== "string" ||
      typeof o["event"] !== "string" || typeof o["prev"] !== "string" || typeof o["data"] !== "object" ||
      o["data"] === null || Array.isArray(o["data"])
    ) {
      return undefined;
    }
    const at = Date.parse(o["at"]);
    if (Number.isNaN(at)) return undefined;
    return { seq: o["seq"] as number, at, event: o["event"], data: o["data"] as Record<string, unknown>, prev: o["prev"] };
  } catch {
    return undefined;
  }
}
