/** How the web module fits into the product (the Java `WebSettings`): where its routes live and where "Renew" leads. */
export interface WebSettings {
  /** Where the license routes live (default `/license`); no trailing slash. */
  readonly basePath?: string;
  /** How pages name the product: "Acme Notes is locked" (default "This product"). */
  readonly productName?: string;
  /** How pages name the vendor (default "your vendor"). */
  readonly vendorName?: string;
  /** Product paths the mode gate never touches (a health check); each matches itself and everything below it. */
  readonly exemptPaths?: readonly string[];
  /** Origins (`https://host[:port]`) allowed to post to the license routes besides the request's own host. */
  readonly allowedOrigins?: readonly string[];
  /** "Renew" opens an e-mail to this address, pre-filled with the license's details. */
  readonly renewalEmail?: string;
  /** "Renew" opens this page, with the license's details as query parameters. */
  readonly renewalPortal?: string;
  /**
   * "Renew" posts a renewal request to this Keyturn server (`POST {server}/api/v1/renewal-requests`), authenticated
   * like a check-in with the license in force; an e-mail address or portal, when also set, is the fallback.
   */
  readonly renewalServer?: string;
  /** How long the renewal server may take (default 10 s, 100 ms to 1 min). */
  readonly renewalTimeoutMs?: number;
}

export interface ResolvedSettings {
  readonly basePath: string;
  readonly productName: string;
  readonly vendorName: string;
  readonly exemptPaths: readonly string[];
  readonly allowedOrigins: readonly string[];
  readonly renewalEmail: string | undefined;
  readonly renewalPortal: string | undefined;
  readonly renewalServer: string | undefined;
  readonly renewalTimeoutMs: number;
}

const SIMPLE_PATH = /^(\/[A-Za-z0-9._~-]+)+$/;
const EMAIL = /^[^\s@?&#/]+@[^\s@?&#/]+$/;
const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?$/;

/** Validates, with the Java module's rules and messages. */
export function resolveSettings(s: WebSettings = {}): ResolvedSettings {
  const r: ResolvedSettings = {
    basePath: s.basePath ?? "/license",
    productName: s.productName ?? "This product",
    vendorName: s.vendorName ?? "your vendor",
    exemptPaths: [...(s.exemptPaths ?? [])],
    allowedOrigins: [...(s.allowedOrigins ?? [])],
    renewalEmail: s.renewalEmail,
    renewalPortal: s.renewalPortal,
    renewalServer: s.renewalServer?.replace(/\/+$/, ""),
    renewalTimeoutMs: s.renewalTimeoutMs ?? 10_000,
  };
  if (!SIMPLE_PATH.test(r.basePath)) {
    throw new TypeError(
      `basePath must be a path like /license (letters, digits, '.', '_', '~', '-' segments, no trailing slash), was '${r.basePath}'`,
    );
  }
  if (!r.productName.trim() || !r.vendorName.trim()) throw new TypeError("productName and vendorName must not be blank");
  for (const p of r.exemptPaths) {
    if (!SIMPLE_PATH.test(p)) throw new TypeError(`exempt paths must look like /health (no trailing slash, no wildcards), was '${p}'`);
    if (p === r.basePath || p.startsWith(r.basePath + "/")) {
      throw new TypeError(`exempt path '${p}' lies under basePath ${r.basePath}, which is never gated`);
    }
  }
  for (const o of r.allowedOrigins) {
    if (!ORIGIN.test(o)) throw new TypeError(`allowed origins look like https://host or https://host:8443, was '${o}'`);
  }
  if (r.renewalEmail !== undefined && !EMAIL.test(r.renewalEmail)) {
    throw new TypeError(`renewalEmail must be a plain address, was '${r.renewalEmail}'`);
  }
  if (r.renewalPortal !== undefined && !/^https?:\/\/[^/]+/i.test(r.renewalPortal)) {
    throw new TypeError(`renewalPortal must be an http(s) address with a host, was '${r.renewalPortal}'`);
  }
  if (r.renewalServer !== undefined && !/^https?:\/\/[^/?#]+(\/[^?#]*)?$/i.test(r.renewalServer)) {
    throw new TypeError(`renewalServer must be a base address without query, was '${s.renewalServer}'`);
  }
  if (!(r.renewalTimeoutMs >= 100 && r.renewalTimeoutMs <= 60_000)) {
    throw new RangeError(`renewalTimeoutMs must be between 100 and 60000, was ${r.renewalTimeoutMs}`);
  }
  return r;
}

export function isExempt(s: ResolvedSettings, path: string): boolean {
  return s.exemptPaths.some((p) => path === p || path.startsWith(p + "/"));
}

export function isLicenseRoute(s: ResolvedSettings, path: string): boolean {
  return path === s.basePath || path.startsWith(s.basePath + "/");
}

/** Stylesheets, scripts, images and fonts: a page needs them to render, so the mode gate never refuses them. */
const ASSET_EXTENSIONS = new Set(["css", "js", "mjs", "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico", "woff", "woff2", "ttf", "otf"]);

/** A GET or HEAD of a static asset (issue 20: the lock screen keeps the product's look). */
export function isStaticAsset(method: string, path: string): boolean {
  if (method !== "GET" && method !== "HEAD") return false;
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot > 0 && ASSET_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}
