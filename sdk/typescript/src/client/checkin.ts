import { DAY, HOUR, MINUTE, SECOND } from "../time.js";
import { CHECK_IN_TOKEN_PREFIX } from "../license/reader.js";

export const CHECK_IN_PATH = "/api/v1/check-in";
export const MIN_INTERVAL_MS = MINUTE;
export const MAX_INTERVAL_MS = 7 * DAY;
const MAX_BODY_BYTES = 256 * 1024;

/** Where and how often the client checks in. Leave it out for air-gapped installs: nothing then leaves the machine. */
export interface CheckInSettings {
  /** The server's base address, e.g. `https://licenses.vendor.example`. */
  readonly server: string;
  /** Until the server first says otherwise with `check_in_after` (default 12 h). */
  readonly intervalMs?: number;
  readonly retryAfterFailureMs?: number;
  readonly timeoutMs?: number;
  readonly clientVersion?: string;
  /**
   * The installation id every node of a multi-node product sends as `instance_id` (e.g. read from the product's
   * database); absent: one made per state directory (`instance.id`), right for a single node.
   */
  readonly installationId?: string;
  /** This node's name within the installation, sent as `node`; absent for a single node. */
  readonly node?: string;
}

/** What the server takes as an installation id or a node name. */
const WIRE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface ResolvedCheckIn {
  readonly endpoint: string;
  readonly intervalMs: number;
  readonly retryAfterFailureMs: number;
  readonly timeoutMs: number;
  readonly clientVersion: string;
  readonly installationId: string | undefined;
  readonly node: string | undefined;
}

/** Validates the settings, with the Java client's bounds. */
export function resolveCheckIn(s: CheckInSettings): ResolvedCheckIn {
  let url: URL;
  try {
    url = new URL(s.server);
  } catch {
    throw new TypeError(`check-in server must be an http(s) address, was '${s.server}'`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`check-in server must be an http(s) address, was '${s.server}'`);
  }
  if (url.search || url.hash) {
    throw new TypeError(`check-in server must be a base address with a host and no query, was '${s.server}'`);
  }
  const r = {
    endpoint: s.server.replace(/\/+$/, "") + CHECK_IN_PATH,
    intervalMs: s.intervalMs ?? 12 * HOUR,
    retryAfterFailureMs: s.retryAfterFailureMs ?? HOUR,
    timeoutMs: s.timeoutMs ?? 10 * SECOND,
    clientVersion: s.clientVersion ?? "keyturn-node/0.1.0",
    installationId: s.installationId,
    node: s.node,
  };
  within("intervalMs", r.intervalMs, MIN_INTERVAL_MS, MAX_INTERVAL_MS);
  within("retryAfterFailureMs", r.retryAfterFailureMs, MIN_INTERVAL_MS, MAX_INTERVAL_MS);
  within("timeoutMs", r.timeoutMs, 100, 5 * MINUTE);
  if (!r.clientVersion.trim()) throw new TypeError("clientVersion must not be blank");
  for (const [name, value] of [["installationId", r.installationId], ["node", r.node]] as const) {
    if (value !== undefined && !WIRE_ID.test(value)) {
      throw new TypeError(`${name} must be 1 to 128 of A-Z, a-z, 0-9, '.', '_', ':' or '-', was '${value}'`);
    }
  }
  return r;
}

function within(name: string, v: number, min: number, max: number): void {
  if (!(v >= min && v <= max)) throw new RangeError(`${name} must be between ${min} and ${max} ms, was ${v}`);
}

/** Clamps a server-given interval, so a bad answer can neither flood nor silence. */
export function bounded(ms: number): number {
  return Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, ms));
}

/** The JSON body of `POST /api/v1/check-in`. */
export interface CheckInRequest {
  readonly license_id: string;
  readonly instance_id: string;
  readonly instance_domain: string | null;
  readonly usage: Readonly<Record<string, number>>;
  readonly client_version: string;
  /** A multi-node installation's node; absent for a single node, and then left out of the body. */
  readonly node?: string | undefined;
}

export type ReplyKind = "OK" | "REVOKED" | "UNKNOWN_LICENSE" | "CONFLICT" | "UNEXPECTED";

/** The server's answer, decoded. */
export interface CheckInReply {
  readonly kind: ReplyKind;
  readonly status: number;
  readonly reason: string | undefined;
  readonly license: string | undefined;
  readonly checkInAfterMs: number | undefined;
  readonly paymentFailing: boolean;
  readonly standingMessage: string | undefined;
}

function reply(kind: ReplyKind, status: number, reason?: string): CheckInReply {
  return { kind, status, reason, license: undefined, checkInAfterMs: undefined, paymentFailing: false, standingMessage: undefined };
}

/**
 * Speaks the check-in wire contract (the same as the Java client's `CheckInTransport`):
 *
 *     POST {server}/api/v1/check-in
 *     Authorization: Bearer kt_lic_<hex SHA-256 of the license's signature bytes>
 *     {"license_id", "instance_id", "instance_domain", "usage": {…}, "client_version"}
 *
 *     200 {"standing": {…}, "revoked": false, "license": "<newest .license.toml text or null>", "check_in_after": "PT12H"}
 *     401 unknown license · 403 {"revoked": true, "reason": …} · 409 another instance holds this license
 *
 * Network failures reject, for the caller to ignore.
 */
export async function sendCheckIn(settings: ResolvedCheckIn, request: CheckInRequest, signatureHash: string): Promise<CheckInReply> {
  const body = checkInBody(request);
  const response = await fetch(settings.endpoint, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${CHECK_IN_TOKEN_PREFIX}${signatureHash}`,
      "Content-Type": "application/json",
      Accept: "application/json",
    },
    body,
    redirect: "manual",
    signal: AbortSignal.timeout(settings.timeoutMs),
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  if (bytes.length > MAX_BODY_BYTES) {
    return reply("UNEXPECTED", response.status, `the answer is larger than ${MAX_BODY_BYTES} bytes`);
  }
  return decodeReply(response.status, bytes.toString("utf8"));
}

/** The request body as the Java client writes it: compact JSON, keys sorted (those of `usage` too). */
export function checkInBody(request: CheckInRequest): string {
  const usage: Record<string, number> = {};
  for (const k of Object.keys(request.usage).sort()) usage[k] = request.usage[k] as number;
  return JSON.stringify({
    client_version: request.client_version,
    instance_domain: request.instance_domain,
    instance_id: request.instance_id,
    license_id: request.license_id,
    ...(request.node === undefined ? {} : { node: request.node }),
    usage,
  });
}

export function decodeReply(status: number, body: string): CheckInReply {
  switch (status) {
    case 200:
      return decodeOk(body);
    case 401:
      return reply("UNKNOWN_LICENSE", status);
    case 403: {
      // Only an explicit revocation locks: a 403 from a proxy or a misconfiguration must not.
      const node = parseJson(body);
      if (isObject(node) && node["revoked"] === true) return reply("REVOKED", status, text(node, "reason"));
      return reply("UNEXPECTED", status, '403 without "revoked": true');
    }
    case 409:
      return reply("CONFLICT", status);
    default:
      return reply("UNEXPECTED", status, `HTTP status ${status}`);
  }
}

function decodeOk(body: string): CheckInReply {
  const node = parseJson(body);
  if (!isObject(node)) return reply("UNEXPECTED", 200, "the answer is not a JSON object");
  const license = node["license"];
  if (license !== undefined && license !== null && typeof license !== "string") {
    return reply("UNEXPECTED", 200, '"license" is not a string');
  }
  let after: number | undefined;
  const afterText = text(node, "check_in_after");
  if (afterText !== undefined) {
    after = parseDuration(afterText);
    if (after === undefined) return reply("UNEXPECTED", 200, '"check_in_after" is not an ISO-8601 duration');
  }
  const standing = isObject(node["standing"]) ? node["standing"] : {};
  let paymentFailing = node["payment_failing"] === true || standing["payment_failing"] === true;
  if (Array.isArray(standing["flags"])) paymentFailing ||= standing["flags"].includes("PAYMENT_FAILING");
  return {
    kind: node["revoked"] === true ? "REVOKED" : "OK",
    status: 200,
    reason: text(node, "reason"),
    license: typeof license === "string" ? license : undefined,
    checkInAfterMs: after,
    paymentFailing,
    standingMessage: text(standing, "message"),
  };
}

/** Java's `Duration.parse`: `PT12H`, `P1DT2H30M`, `PT0.5S`, with an optional sign. */
export function parseDuration(s: string): number | undefined {
  const m = /^([-+]?)P(?:([-+]?\d+)D)?(?:T(?:([-+]?\d+)H)?(?:([-+]?\d+)M)?(?:([-+]?\d+(?:[.,]\d{0,9})?)S)?)?$/i.exec(s);
  if (!m || (m[2] === undefined && m[3] === undefined && m[4] === undefined && m[5] === undefined) || /T$/i.test(s)) {
    return undefined;
  }
  const ms =
    Number(m[2] ?? 0) * DAY + Number(m[3] ?? 0) * HOUR + Number(m[4] ?? 0) * MINUTE + Number((m[5] ?? "0").replace(",", ".")) * SECOND;
  return m[1] === "-" ? -ms : ms;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function text(node: Record<string, unknown>, field: string): string | undefined {
  const v = node[field];
  return typeof v === "string" && v.trim() !== "" ? v : undefined;
}
