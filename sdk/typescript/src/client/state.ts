import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { join } from "node:path";
import { isoInstant } from "../time.js";
import { atomicWrite, readBounded, withDirectoryLock } from "./files.js";

export const STATE_FILE = "state.json";
export const KEY_FILE = "state.key";
export const LOCK_DIR = ".lock.d";
const KEY_BYTES = 32;
const MAX_STATE_BYTES = 1024 * 1024;
const MAC_DOMAIN = "keyturn-state-v1\n";
export const STATE_VERSION = 1;

/**
 * Everything the client remembers between runs besides the license files and the audit log: the same fields, names
 * and MAC as the Java client's `state.json`, so either runtime reads the other's state directory.
 */
export interface PersistentState {
  readonly version: number;
  /** Raised on every write, so an older copy put back in place is recognised. */
  readonly counter: number;
  /** The latest instant licensing has reached (ISO-8601). */
  readonly high_water: string;
  /** license id → stage id → ISO instant of the dismissal. */
  readonly dismissals: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** license id → the reason the server gave. */
  readonly revoked: Readonly<Record<string, string>>;
  readonly payment_failing: string | null;
  readonly instance_conflict: boolean;
  readonly audit_lines: number;
  readonly audit_head: string;
  readonly last_stage: string;
}

export function initialState(highWater: number, auditHead: string, auditLines: number): PersistentState {
  return {
    version: STATE_VERSION,
    counter: 0,
    high_water: isoInstant(highWater),
    dismissals: {},
    revoked: {},
    payment_failing: null,
    instance_conflict: false,
    audit_lines: auditLines,
    audit_head: auditHead,
    last_stage: "",
  };
}

export function highWaterOf(s: PersistentState): number {
  return Date.parse(s.high_water);
}

/** Never lowers the mark. */
export function withHighWater(s: PersistentState, at: number): PersistentState {
  return at > highWaterOf(s) ? { ...s, high_water: isoInstant(at) } : s;
}

export type StateStatus = "OK" | "FRESH" | "MISSING" | "UNREADABLE" | "FORGED" | "REPLAYED";

export interface Loaded {
  readonly status: StateStatus;
  readonly state: PersistentState | undefined;
  readonly detail: string;
}

/** JSON with keys sorted at every level, as Jackson writes the Java client's state (the MAC covers these bytes). */
export function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return "[" + v.map(sortedJson).join(",") + "]";
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return "{" + Object.keys(o).sort().map((k) => JSON.stringify(k) + ":" + sortedJson(o[k])).join(",") + "}";
  }
  return JSON.stringify(v);
}

/**
 * The HMAC-signed state file and its secret (32 random bytes, owner-only). The MAC turns "edit a timestamp in a
 * JSON file" into "find and use the secret next to it": it stops hand edits and casual clock turn-backs, not
 * someone who can read the secret or restore a whole backup of the directory.
 */
export class StateStore {
  private key: Buffer | undefined;
  private lastWrittenCounter = -1;
  private depth = 0;

  constructor(readonly dir: string) {}

  /** Runs `action` holding the directory's lock; reentrant, so nested calls are fine. */
  locked<T>(action: () => T): T {
    if (this.depth > 0) return action();
    return withDirectoryLock(join(this.dir, LOCK_DIR), () => {
      this.depth++;
      try {
        return action();
      } finally {
        this.depth--;
      }
    });
  }

  /** Reads and verifies the state file; never creates anything. */
  load(): Loaded {
    const existingKey = this.readKey();
    let bytes: Buffer;
    try {
      bytes = readBounded(join(this.dir, STATE_FILE), MAX_STATE_BYTES);
      if (bytes.length > MAX_STATE_BYTES) throw new Error(`larger than ${MAX_STATE_BYTES} bytes`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") {
        return existingKey
          ? { status: "MISSING", state: undefined, detail: `${STATE_FILE} is missing` }
          : { status: "FRESH", state: undefined, detail: "no state yet" };
      }
      return { status: "UNREADABLE", state: undefined, detail: `cannot read ${STATE_FILE}: ${(e as Error).message}` };
    }
    let file: { state?: PersistentState; mac?: string };
    try {
      file = JSON.parse(bytes.toString("utf8")) as typeof file;
      if (!isState(file.state)) throw new Error("not a state");
    } catch {
      return {
        status: "UNREADABLE",
        state: undefined,
        detail: `${STATE_FILE} is not a valid state file (truncated or edited)`,
      };
    }
    if (typeof file.mac !== "string") {
      return { status: "UNREADABLE", state: undefined, detail: `${STATE_FILE} is incomplete` };
    }
    const state = file.state as PersistentState;
    if (state.version !== STATE_VERSION) {
      return {
        status: "UNREADABLE",
        state: undefined,
        detail: `${STATE_FILE} has version ${state.version}, expected ${STATE_VERSION}`,
      };
    }
    if (!existingKey) {
      return { status: "FORGED", state: undefined, detail: `${KEY_FILE} is missing, so ${STATE_FILE} cannot be verified` };
    }
    const expected = mac(existingKey, state);
    const actual = /^[0-9a-f]*$/i.test(file.mac) ? Buffer.from(file.mac, "hex") : Buffer.alloc(0);
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
      return {
        status: "FORGED",
        state: undefined,
        detail: `${STATE_FILE} does not carry a valid signature: it was edited or replaced`,
      };
    }
    if (state.counter < this.lastWrittenCounter) {
      return {
        status: "REPLAYED",
        state: undefined,
        detail: `${STATE_FILE} has counter ${state.counter} but this process already wrote ${this.lastWrittenCounter}: an older copy was put back`,
      };
    }
    return { status: "OK", state, detail: "verified" };
  }

  /** Signs and writes the state with its counter raised past anything written before; creates the secret on first use. */
  write(state: PersistentState): PersistentState {
    const next = { ...state, counter: Math.max(state.counter, this.lastWrittenCounter) + 1 };
    const key = this.keyForWriting();
    atomicWrite(join(this.dir, STATE_FILE), sortedJson({ mac: mac(key, next).toString("hex"), state: next }));
    this.lastWrittenCounter = next.counter;
    return next;
  }

  /** The state secret, if present; the usage record is signed with it too. */
  readKey(): Buffer | undefined {
    if (this.key) return this.key;
    try {
      const bytes = readBounded(join(this.dir, KEY_FILE), MAX_STATE_BYTES);
      if (bytes.length === KEY_BYTES) this.key = bytes;
    } catch {
      // No secret yet, or not readable by this user.
    }
    return this.key;
  }

  /** The state secret, created on first use. */
  keyForWriting(): Buffer {
    const existing = this.readKey();
    if (existing) return existing;
    // A new secret: the old state, if any, could not be trusted anyway.
    const fresh = randomBytes(KEY_BYTES);
    atomicWrite(join(this.dir, KEY_FILE), fresh, true);
    this.key = fresh;
    return fresh;
  }
}

function mac(key: Buffer, state: PersistentState): Buffer {
  return createHmac("sha256", key).update(MAC_DOMAIN).update(sortedJson(state)).digest();
}

function isState(s: unknown): s is PersistentState {
  if (typeof s !== "object" || s === null) return false;
  const o = s as Record<string, unknown>;
  const keys = Object.keys(o).sort().join(",");
  return (
    keys === "audit_head,audit_lines,counter,dismissals,high_water,instance_conflict,last_stage,payment_failing,revoked,version" &&
    typeof o["version"] === "number" &&
    typeof o["counter"] === "number" &&
    typeof o["high_water"] === "string" &&
    !Number.isNaN(Date.parse(o["high_water"])) &&
    typeof o["dismissals"] === "object" &&
    typeof o["revoked"] === "object" &&
    (o["payment_failing"] === null || typeof o["payment_failing"] === "string") &&
    typeof o["instance_conflict"] === "boolean" &&
    typeof o["audit_lines"] === "number" &&
    typeof o["audit_head"] === "string" &&
    (typeof o["last_stage"] === "string" || o["last_stage"] === null)
  );
}
