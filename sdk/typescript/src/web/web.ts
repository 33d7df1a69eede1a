import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ClientError } from "../errors.js";
import type { LicenseManager } from "../client/manager.js";
import type { LimitExcess } from "../client/standing.js";
import { Zone } from "../lifecycle/zone.js";
import {
  backFromReferer,
  crossSiteReason,
  html,
  json,
  LICENSE_REJECTED_STATUS,
  PayloadTooLarge,
  problem,
  safeLocalPath,
  seeOther,
  wantsHtml,
  WEB_ERRORS,
  CHANGING_METHODS,
  type WebError,
  type WebRequest,
  type WebResponse,
} from "./http.js";
import { Pages, type Outcome } from "./pages.js";
import { isExempt, isLicenseRoute, isStaticAsset, resolveSettings, type ResolvedSettings, type WebSettings } from "./settings.js";
import { bannerJson, renewalDetails, renewalLink, standingJson } from "./view.js";
import { isoInstant } from "../time.js";

/** A license file is at most 64 KiB; the rest is room for multipart framing. */
const MAX_INSTALL_BODY = 256 * 1024;
const ASSET_DIR = join(dirname(fileURLToPath(import.meta.url)), "../../../assets");

interface Asset {
  readonly type: string;
  readonly bytes: Buffer;
  readonly etag: string;
}

function loadAsset(name: string, type: string): Asset {
  const bytes = readFileSync(join(ASSET_DIR, name));
  return { type, bytes, etag: `"${createHash("sha256").update(bytes).digest("hex").slice(0, 24)}"` };
}

/**
 * The web module without a framework, speaking the same protocol as the Java `keyturn-client-web`: given a request,
 * either answers it (a license route, or a product route the mode refuses) or returns undefined to let the product
 * handle it. `nodeMiddleware` and `expressMiddleware` adapt it.
 *
 * Routes under `basePath` (default `/license`), working in every mode: `GET /standing` (`?tz=Europe/Paris`),
 * `POST /install` (form field `license`, multipart `file`, JSON `{"license": …}` or the raw file),
 * `POST /banner/dismiss`, `POST /renewal-request`, `GET /banner.js`, `GET /banner.css`, `GET /` (the license page).
 * Product routes: FULL passes; READ_ONLY refuses POST/PUT/PATCH/DELETE with 403; LOCKED answers 423 with the lock
 * screen. Exempt paths and static assets (GET of .css, .js, images, fonts) always pass.
 */
export class KeyturnWeb {
  readonly settings: ResolvedSettings;
  private readonly pages: Pages;
  private readonly assets: ReadonlyMap<string, Asset>;

  constructor(
    private readonly licenses: LicenseManager,
    settings: WebSettings = {},
  ) {
    this.settings = resolveSettings(settings);
    this.pages = new Pages(this.settings);
    this.assets = new Map([
      ["banner.js", loadAsset("banner.js", "text/javascript; charset=utf-8")],
      ["banner.css", loadAsset("banner.css", "text/css; charset=utf-8")],
    ]);
  }

  async handle(r: WebRequest): Promise<WebResponse | undefined> {
    if (isLicenseRoute(this.settings, r.path)) {
      try {
        return await this.route(r, r.path.slice(this.settings.basePath.length));
      } catch (err) {
        if (err instanceof PayloadTooLarge) return this.refuse(r, "PAYLOAD_TOO_LARGE", err.message);
        throw err;
      }
    }
    return this.gate(r);
  }

  /** The mode gate: reads only the hot-path snapshot; the standing is fetched only to explain a refusal. */
  private gate(r: WebRequest): WebResponse | undefined {
    const mode = this.licenses.mode();
    if (mode === "FULL" || isExempt(this.settings, r.path) || isStaticAsset(r.method, r.path)) return undefined;
    if (mode === "READ_ONLY") {
      if (!CHANGING_METHODS.has(r.method)) return undefined;
      const s = this.licenses.standing();
      if (wantsHtml(r)) return html(403, this.pages.readOnly(s, r.contextPath, backFromReferer(r, this.settings)));
      return problem(
        "READ_ONLY",
        `${s.banner.text} This change was not saved; reading keeps working, and nothing stored was changed.`,
      );
    }
    const s = this.licenses.standing();
    if (wantsHtml(r)) {
      const returnTo = r.method === "GET" || r.method === "HEAD" ? r.contextPath + r.path : backFromReferer(r, this.settings);
      return html(423, this.pages.lock(s, r.contextPath, returnTo));
    }
    return problem("LOCKED", `${s.banner.text} Install a license at ${r.contextPath}${this.settings.basePath}/install.`);
  }

  private async route(r: WebRequest, sub: string): Promise<WebResponse> {
    switch (sub) {
      case "":
      case "/":
        return this.get(r, () => html(200, this.pages.license(this.licenses.standing(), r.contextPath)));
      case "/standing":
        return this.get(r, () => this.standing(r));
      case "/banner.js":
      case "/banner.css":
        return this.get(r, () => this.asset(sub.slice(1), r));
      case "/install":
        return this.post(r, () => this.install(r));
      case "/banner/dismiss":
        return this.post(r, async () => this.dismiss(r));
      case "/renewal-request":
        return this.post(r, () => this.renewal(r));
      default:
        return problem("NOT_FOUND", `no license route ${this.settings.basePath}${sub}`);
    }
  }

  private standing(r: WebRequest): WebResponse {
    let zone: Zone | undefined;
    const tz = r.query.get("tz");
    if (tz) {
      try {
        zone = Zone.of(tz);
      } catch {
        zone = undefined; // the manager's zone, then
      }
    }
    return json(200, standingJson(this.licenses.standing(), zone, this.settings, r.contextPath));
  }

  private asset(name: string, r: WebRequest): WebResponse {
    const a = this.assets.get(name) as Asset;
    const headers = { ETag: a.etag, "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff" };
    if ((r.header("if-none-match") ?? "").includes(a.etag)) {
      return { status: 304, contentType: a.type, headers, body: Buffer.alloc(0) };
    }
    return { status: 200, contentType: a.type, headers, body: a.bytes };
  }

  private async install(r: WebRequest): Promise<WebResponse> {
    const submission = await readSubmission(r);
    if (!submission) return problem("BAD_REQUEST", "the multipart body could not be read");
    if (submission.text.trim() === "") {
      return this.rejected(
        r,
        submission.returnTo,
        "MALFORMED",
        "Nothing was pasted or uploaded: paste the whole license file, or choose it with the upload button.",
        [],
      );
    }
    let result;
    try {
      result = this.licenses.install(submission.text);
    } catch (err) {
      if (!(err instanceof ClientError)) throw err;
      return wantsHtml(r)
        ? html(500, this.pages.message(WEB_ERRORS.INSTALL_FAILED[1], err.message, r.contextPath))
        : problem("INSTALL_FAILED", err.message);
    }
    if (!result.installed) return this.rejected(r, submission.returnTo, result.code, result.message, result.excesses);
    if (wantsHtml(r)) {
      if (submission.returnTo !== undefined) return seeOther(safeLocalPath(submission.returnTo, r.contextPath));
      const outcome: Outcome = { installed: true, code: result.code, message: result.message };
      return html(200, this.pages.license(this.licenses.standing(), r.contextPath, outcome));
    }
    return json(200, {
      code: result.code,
      installed: true,
      in_force: result.inForce,
      message: result.message,
      mode: this.licenses.mode(),
      license_id: result.license?.id ?? null,
    });
  }

  private rejected(r: WebRequest, returnTo: string | undefined, code: string, message: string, excesses: readonly LimitExcess[]): WebResponse {
    if (wantsHtml(r)) {
      const s = this.licenses.standing();
      const outcome: Outcome = { installed: false, code, message };
      const page =
        s.mode === "LOCKED" && returnTo !== undefined
          ? this.pages.lock(s, r.contextPath, safeLocalPath(returnTo, r.contextPath), outcome)
          : this.pages.license(s, r.contextPath, outcome);
      return html(LICENSE_REJECTED_STATUS, page);
    }
    const extras: Record<string, unknown> = { installed: false };
    if (excesses.length > 0) extras["excesses"] = excesses.map((e) => ({ limit: e.limit, usage: e.usage, new_value: e.newValue }));
    return problem(code, message, extras, [LICENSE_REJECTED_STATUS, "The license was not installed"]);
  }

  /**
   * "Renew", sent on to the Keyturn server from here with the license token the browser never sees:
   * `POST {server}/api/v1/renewal-requests`; 2xx `{"id", "message"}` is accepted, anything else refused.
   */
  private async renewal(r: WebRequest): Promise<WebResponse> {
    const server = this.settings.renewalServer;
    if (server === undefined) {
      return problem("RENEWAL_NOT_CONFIGURED", "this product sends no renewal requests to a server; use the renewal link instead");
    }
    const body = await r.body(16 * 1024);
    const type = (r.header("content-type") ?? "").toLowerCase();
    const fields: Record<string, string> = {};
    if (type.startsWith("application/x-www-form-urlencoded")) {
      for (const [k, v] of new URLSearchParams(body.toString("utf8"))) fields[k] ??= v;
    } else {
      try {
        const o = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
        for (const k of ["contact_name", "contact_email", "message"]) if (typeof o[k] === "string") fields[k] = o[k] as string;
      } catch {
        // No contact details, then.
      }
    }
    const [name, email, message] = ["contact_name", "contact_email", "message"].map((k) => (fields[k] ?? "").trim()) as [string, string, string];
    if (name.length > 200 || email.length > 320 || message.length > 4000) {
      return problem("BAD_REQUEST", "contact_name is limited to 200 characters, contact_email to 320, message to 4000");
    }
    const s = this.licenses.standing();
    const credentials = this.licenses.renewalCredentials();
    if (!s.license || !credentials) return problem("BAD_REQUEST", "no license is installed, so there is nothing to renew");
    const l = s.license;
    const failed = (detail: string) => {
      const href = renewalLink(this.settings, renewalDetails(l));
      return problem("RENEWAL_FAILED", detail, href === undefined ? {} : { fallback_href: href });
    };
    let res: Response;
    try {
      res = await fetch(`${server}/api/v1/renewal-requests`, {
        method: "POST",
        headers: { Authorization: `Bearer ${credentials.token}`, "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({
          license_id: l.id,
          subscription_id: l.subscriptionId,
          customer: l.customer,
          tier: l.tier,
          expires_at: isoInstant(l.expiresAt),
          instance_domain: l.instanceDomain ?? null,
          instance_id: credentials.instanceId ?? null,
          contact_name: name || null,
          contact_email: email || null,
          message: message || null,
        }),
        redirect: "manual",
        signal: AbortSignal.timeout(this.settings.renewalTimeoutMs),
      });
    } catch (err) {
      return failed(`The renewal server could not be reached (${(err as Error).name}).`);
    }
    let answer: Record<string, unknown> = {};
    try {
      answer = (await res.json()) as Record<string, unknown>;
    } catch {
      // Not JSON: the status says enough.
    }
    const text = (k: string) => (typeof answer[k] === "string" && (answer[k] as string).trim() !== "" ? (answer[k] as string) : undefined);
    if (res.status >= 200 && res.status < 300) {
      const reference = text("id");
      return json(200, {
        sent: true,
        reference: reference ?? null,
        message: text("message") ?? `Your renewal request was sent${reference ? ` (reference ${reference})` : ""}.`,
      });
    }
    const reason = text("detail") ?? text("message");
    return failed(`The renewal server did not accept the request (HTTP ${res.status})${reason ? `: ${reason}` : "."}`);
  }

  private dismiss(r: WebRequest): WebResponse {
    let outcome;
    try {
      outcome = this.licenses.dismiss().outcome;
    } catch (err) {
      if (!(err instanceof ClientError)) throw err;
      return problem("DISMISS_FAILED", err.message);
    }
    if (wantsHtml(r)) return seeOther(backFromReferer(r, this.settings));
    return json(200, { outcome, banner: bannerJson(this.licenses.standing(), undefined) });
  }

  private async get(r: WebRequest, h: () => WebResponse): Promise<WebResponse> {
    if (r.method === "GET" || r.method === "HEAD") return h();
    return methodNotAllowed("GET");
  }

  private async post(r: WebRequest, h: () => Promise<WebResponse>): Promise<WebResponse> {
    if (r.method !== "POST") return methodNotAllowed("POST");
    const crossSite = crossSiteReason(r, this.settings);
    if (crossSite !== undefined) return this.refuse(r, "CROSS_SITE_REQUEST", `Refused: ${crossSite}.`);
    return h();
  }

  private refuse(r: WebRequest, error: WebError, detail: string): WebResponse {
    if (wantsHtml(r)) return html(WEB_ERRORS[error][0], this.pages.message(WEB_ERRORS[error][1], detail, r.contextPath));
    return problem(error, detail);
  }
}

function methodNotAllowed(allowed: "GET" | "POST"): WebResponse {
  const p = problem("METHOD_NOT_ALLOWED", `this route answers ${allowed} only`);
  return { ...p, headers: { ...p.headers, Allow: allowed === "GET" ? "GET, HEAD" : "POST" } };
}

/**
 * The license text in an install request, however it was sent: the form (a pasted `license` field and/or an uploaded
 * `file`, multipart or url-encoded; an upload wins over the text box), JSON `{"license": …}`, or the raw file.
 * Undefined when a form body does not parse.
 */
async function readSubmission(r: WebRequest): Promise<{ text: string; returnTo: string | undefined } | undefined> {
  const contentType = r.header("content-type") ?? "";
  const type = contentType.toLowerCase();
  const body = await r.body(MAX_INSTALL_BODY);
  if (type.startsWith("multipart/form-data") || type.startsWith("application/x-www-form-urlencoded")) {
    let form: FormData;
    try {
      // undici (Node's fetch) parses both form encodings.
      form = await new Response(body, { headers: { "content-type": contentType } }).formData();
    } catch {
      return undefined;
    }
    const field = (name: string): string | undefined => {
      const v = form.get(name);
      return v === null ? undefined : typeof v === "string" ? v : undefined;
    };
    const file = form.get("file");
    const uploaded = file !== null && typeof file !== "string" ? await file.text() : "";
    const pasted = field("license") ?? "";
    return { text: uploaded.trim() === "" ? pasted : uploaded, returnTo: field("return_to") };
  }
  if (type.startsWith("application/json")) {
    try {
      const v = JSON.parse(body.toString("utf8")) as { license?: unknown };
      return { text: typeof v.license === "string" ? v.license : "", returnTo: undefined };
    } catch {
      return { text: "", returnTo: undefined };
    }
  }
  return { text: body.toString("utf8"), returnTo: undefined };
}
