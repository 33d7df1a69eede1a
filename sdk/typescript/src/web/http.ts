import type { ResolvedSettings } from "./settings.js";

/** What the web module needs of a request, whatever server it runs in. */
export interface WebRequest {
  readonly method: string;
  /** The path inside the application, without query (e.g. `/license/standing`). */
  readonly path: string;
  /** Where the application is mounted (`""` at the root). */
  readonly contextPath: string;
  readonly query: URLSearchParams;
  header(name: string): string | undefined;
  /** The body, at most `max` bytes; throws PayloadTooLarge beyond. */
  body(max: number): Promise<Buffer>;
}

export interface WebResponse {
  readonly status: number;
  readonly contentType: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export class PayloadTooLarge extends Error {}

export const JSON_TYPE = "application/json";
export const PROBLEM_JSON = "application/problem+json";
const NO_STORE = { "Cache-Control": "no-store" };

export function json(status: number, value: unknown, type = JSON_TYPE): WebResponse {
  return { status, contentType: type, headers: NO_STORE, body: Buffer.from(JSON.stringify(value), "utf8") };
}

export function html(status: number, page: string): WebResponse {
  return { status, contentType: "text/html; charset=utf-8", headers: NO_STORE, body: Buffer.from(page, "utf8") };
}

export function seeOther(location: string): WebResponse {
  return { status: 303, contentType: "text/plain; charset=utf-8", headers: { ...NO_STORE, Location: location }, body: Buffer.alloc(0) };
}

/**
 * The stable codes of the web module's own refusals, with their HTTP status: mapped here and nowhere else. A rejected
 * license answers with its verification code instead (status 422).
 */
export const WEB_ERRORS = {
  READ_ONLY: [403, "The product is read-only"],
  LOCKED: [423, "The product is locked"],
  CROSS_SITE_REQUEST: [403, "Cross-site request refused"],
  PAYLOAD_TOO_LARGE: [413, "Request too large"],
  BAD_REQUEST: [400, "Bad request"],
  NOT_FOUND: [404, "Not found"],
  METHOD_NOT_ALLOWED: [405, "Method not allowed"],
  INSTALL_FAILED: [500, "The license could not be installed"],
  DISMISS_FAILED: [500, "The notice could not be dismissed"],
  RENEWAL_NOT_CONFIGURED: [404, "No renewal server is configured"],
  RENEWAL_FAILED: [502, "The renewal request was not accepted"],
} as const;
export type WebError = keyof typeof WEB_ERRORS;
export const LICENSE_REJECTED_STATUS = 422;

/** An RFC 9457 problem with the stable `code`. */
export function problem(code: WebError | string, detail: string, extras: Record<string, unknown> = {}, statusTitle?: [number, string]): WebResponse {
  const [status, title] = statusTitle ?? WEB_ERRORS[code as WebError];
  return json(status, { title, status, code, detail, ...extras }, PROBLEM_JSON);
}

export const CHANGING_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** A browser navigating (Accept names text/html) gets pages; everything else gets JSON. */
export function wantsHtml(r: WebRequest): boolean {
  return (r.header("accept") ?? "").toLowerCase().includes("text/html");
}

export function isLocalPath(p: string): boolean {
  return p.startsWith("/") && !p.startsWith("//") && p.length <= 2048 && !/[\\\u0000-\u001f\u007f]/.test(p);
}

/** `candidate` when it is a plain path on this server (never `//other.example` or a scheme), else the root. */
export function safeLocalPath(candidate: string | undefined, contextPath: string): string {
  return candidate !== undefined && isLocalPath(candidate) ? candidate : contextPath + "/";
}

/** The same-origin Referer's path and query, or the application's root. */
export function backFromReferer(r: WebRequest, settings: ResolvedSettings): string {
  const referer = r.header("referer");
  if (referer === undefined || crossSiteReason(r, settings) !== undefined) return r.contextPath + "/";
  try {
    const u = new URL(referer.trim());
    const back = (u.pathname || "/") + u.search;
    return isLocalPath(back) ? back : r.contextPath + "/";
  } catch {
    return r.contextPath + "/";
  }
}

/**
 * The cross-site request guard of the license routes that change something: the request must say where it comes
 * from (Origin, else Referer), and that must be this server's own host or an allowed origin. Undefined when allowed.
 */
export function crossSiteReason(r: WebRequest, settings: ResolvedSettings): string | undefined {
  const host = r.header("host")?.trim().toLowerCase().replace(/:(80|443)$/, "");
  const origin = r.header("origin");
  const referer = r.header("referer");
  let claimed: string;
  if (origin !== undefined) {
    claimed = origin.trim();
  } else if (referer !== undefined) {
    claimed = originOf(referer) ?? "";
  } else {
    return "the request has neither an Origin nor a Referer header, so it cannot be told apart from a forged cross-site request; send 'Origin: <this server's scheme://host:port>'";
  }
  const authority = authorityOf(claimed);
  if (authority !== undefined && host !== undefined && authority === host) return undefined;
  if (settings.allowedOrigins.some((o) => o.toLowerCase() === claimed.toLowerCase())) return undefined;
  return `the request comes from ${claimed === "" ? "an unknown origin" : `'${claimed}'`}, not from this server (${host ?? "no Host header"}); pages of other sites may not change the license`;
}

function originOf(url: string): string | undefined {
  try {
    const u = new URL(url.trim());
    return u.protocol === "http:" || u.protocol === "https:" ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/** `host[:port]` of an origin, lower case, without the scheme's default port. */
function authorityOf(origin: string): string | undefined {
  try {
    const u = new URL(origin);
    if (u.protocol !== "http:" && u.protocol !== "https:") return undefined;
    return u.host.toLowerCase(); // URL drops default ports
  } catch {
    return undefined;
  }
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
}
