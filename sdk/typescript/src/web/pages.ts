import type { ClientStanding } from "../client/standing.js";
import { isoInstant } from "../time.js";
import { escapeHtml as e } from "./http.js";
import type { ResolvedSettings } from "./settings.js";
import { renewalView } from "./view.js";

/** A rendered install answer: the code and the message. */
export interface Outcome {
  readonly installed: boolean;
  readonly code: string;
  readonly message: string;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function svg(body: string): string {
  return (
    '<svg class="kt-icon" viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" stroke-width="1.8"' +
    ' stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">' +
    body +
    "</svg>"
  );
}

const ICONS = {
  lock: svg('<rect x="4" y="10.5" width="16" height="10.5" rx="2.5"/><path d="M8 10.5V7.5a4 4 0 0 1 8 0v3"/><path d="M12 15v2.5"/>'),
  pause: svg('<circle cx="12" cy="12" r="9"/><path d="M10 9v6"/><path d="M14 9v6"/>'),
  key: svg('<circle cx="8" cy="15" r="4"/><path d="M10.8 12.2 20 3"/><path d="m16 7 3 3"/><path d="m14 9 2 2"/>'),
  shield: svg('<path d="M12 3 4.5 6v5.5c0 4.6 3.2 8.4 7.5 9.5 4.3-1.1 7.5-4.9 7.5-9.5V6z"/><path d="m9 12 2 2 4-4"/>'),
};

/**
 * The module's own pages, the same markup as the Java module's so that `banner.css`/`banner.js` serve both: the lock
 * screen with the paste box, the license page, the read-only refusal and a plain message page. Server-rendered, so
 * they work without JavaScript.
 */
export class Pages {
  constructor(private readonly settings: ResolvedSettings) {}

  lock(s: ClientStanding, contextPath: string, returnTo: string, outcome?: Outcome): string {
    const product = e(this.settings.productName);
    let main = head("lock", ICONS.lock, product, `${product} is locked`);
    main += `<p class="kt-lead" data-kt-banner-text>${e(s.banner.text)}</p>\n`;
    main += safe("Your data is safe. Once a valid license is installed you are back where you left off, with no restart.");
    main += facts(s) + result(outcome) + this.form(contextPath, returnTo, "Unlock", "reload", s) + this.footer(contextPath, true);
    return this.page("lock", `${this.settings.productName} is locked`, contextPath, main);
  }

  license(s: ClientStanding, contextPath: string, outcome?: Outcome): string {
    const product = e(this.settings.productName);
    let main = head("license", ICONS.key, product, "License");
    main +=
      `<p class="kt-status kt-status--${s.mode.toLowerCase()}"><span class="kt-status__dot" aria-hidden="true"></span>` +
      `${e(capitalize(s.summary))}</p>\n`;
    if (s.banner.text !== "") main += `<p class="kt-lead" data-kt-banner-text>${e(s.banner.text)}</p>\n`;
    main += facts(s) + result(outcome);
    main += this.form(contextPath, "", s.mode === "LOCKED" ? "Unlock" : "Install license", "stay", s) + this.footer(contextPath, false);
    return this.page("license", `License · ${this.settings.productName}`, contextPath, main);
  }

  readOnly(s: ClientStanding, contextPath: string, backHref: string): string {
    const product = e(this.settings.productName);
    let main = head("read-only", ICONS.pause, product, `${product} is read-only`);
    main +=
      '<p class="kt-refused">Your change was not saved.</p>\n' +
      `<p class="kt-lead kt-lead--after" data-kt-banner-text>${e(s.banner.text)}</p>\n`;
    main += safe("Your data is safe and can still be read. Saving works again as soon as a renewed license is installed.");
    main +=
      facts(s) +
      '<div class="kt-actions">\n' +
      `<a class="kt-button kt-button--primary" href="${e(backHref)}">Go back</a>\n` +
      `<a class="kt-button kt-button--secondary" href="${e(contextPath + this.settings.basePath + "/")}">Install a license</a>\n` +
      this.renew(s, contextPath) +
      "</div>\n" +
      this.footer(contextPath, false);
    return this.page("read-only", `${this.settings.productName} is read-only`, contextPath, main);
  }

  message(title: string, detail: string, contextPath: string): string {
    let main = head("message", ICONS.shield, e(this.settings.productName), e(title));
    main += `<p class="kt-lead">${e(detail)}</p>\n`;
    main +=
      `<div class="kt-actions"><a class="kt-button kt-button--secondary" href="${e(contextPath + "/")}">` +
      `Back to ${e(this.settings.productName)}</a></div>\n`;
    return this.page("message", title, contextPath, main);
  }

  private page(kind: string, title: string, contextPath: string, main: string): string {
    const base = e(contextPath + this.settings.basePath);
    return (
      `<!doctype html>\n<html lang="en" data-keyturn-page="${kind}">\n<head>\n<meta charset="utf-8">\n` +
      '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
      `<meta name="robots" content="noindex">\n<title>${e(title)}</title>\n<link rel="stylesheet" href="${base}/banner.css">\n` +
      `</head>\n<body class="kt-screen kt-screen--${kind}">\n<main class="kt-card" aria-labelledby="kt-title">\n${main}` +
      `</main>\n<script src="${base}/banner.js" defer></script>\n</body>\n</html>\n`
    );
  }

  private form(contextPath: string, returnTo: string, submit: string, after: string, s: ClientStanding): string {
    let out =
      `<form id="kt-install-form" class="kt-form" method="post" action="${e(contextPath + this.settings.basePath + "/install")}"` +
      ` enctype="multipart/form-data" data-kt-after="${after}">\n`;
    if (returnTo !== "") out += `<input type="hidden" name="return_to" value="${e(returnTo)}">\n`;
    out +=
      '<label class="kt-label" for="kt-license">Paste your license</label>\n' +
      '<textarea id="kt-license" name="license" rows="6" spellcheck="false" autocomplete="off"' +
      ` aria-describedby="kt-license-hint" placeholder="${e("# Keyturn license for …\nformat = 1\n\n[license]\n…")}"></textarea>\n` +
      '<p id="kt-license-hint" class="kt-hint">The whole <code>.license.toml</code> file your vendor sent, comments included.</p>\n' +
      '<div class="kt-divider"><span>or</span></div>\n' +
      '<label class="kt-label" for="kt-file">Upload the license file</label>\n' +
      '<input id="kt-file" class="kt-file" type="file" name="file" accept=".toml,.license,text/plain">\n' +
      '<div class="kt-actions">\n' +
      `<button type="submit" class="kt-button kt-button--primary">${e(submit)}</button>\n` +
      this.renew(s, contextPath) +
      "</div>\n</form>\n";
    return out;
  }

  /** "Request a renewal": a link, or a button banner.js turns into a form posting to the server. */
  private renew(s: ClientStanding, contextPath: string): string {
    const r = renewalView(s, this.settings, contextPath);
    if (!r) return "";
    if (r.kind === "server") {
      return '<button type="button" class="kt-button kt-button--secondary" data-kt-renew>Request a renewal</button>\n';
    }
    return (
      `<a class="kt-button kt-button--secondary" data-kt-renew-link href="${e(r.href ?? "")}"` +
      `${r.kind === "portal" ? ' target="_blank" rel="noopener"' : ""}>Request a renewal</a>\n`
    );
  }

  private footer(contextPath: string, linkToLicensePage: boolean): string {
    let out = `<p class="kt-footnote">Questions about your license? Contact ${e(this.settings.vendorName)}.`;
    if (linkToLicensePage) out += ` <a href="${e(contextPath + this.settings.basePath + "/")}">License details</a>`;
    return out + "</p>\n";
  }
}

function head(kind: string, icon: string, eyebrowHtml: string, titleHtml: string): string {
  return (
    `<div class="kt-card__head">\n<span class="kt-emblem kt-emblem--${kind}">${icon}</span>\n<div>\n` +
    `<p class="kt-eyebrow">${eyebrowHtml}</p>\n<h1 id="kt-title">${titleHtml}</h1>\n</div>\n</div>\n`
  );
}

function safe(text: string): string {
  return `<p class="kt-safe">${ICONS.shield}<span>${e(text)}</span></p>\n`;
}

function facts(s: ClientStanding): string {
  const l = s.license;
  if (!l) return "";
  const fact = (term: string, valueHtml: string) => `<div><dt>${term}</dt><dd>${valueHtml}</dd></div>\n`;
  return (
    '<dl class="kt-facts">\n' +
    fact("Customer", e(l.customer)) +
    fact("Reference", `<code>${e(l.subscriptionId)}</code>`) +
    fact("Tier", e(l.tier)) +
    fact(l.expiresAt > s.evaluatedAt ? "Expires" : "Expired", time(l.expiresAt)) +
    "</dl>\n"
  );
}

/** UTC on the server; banner.js rewrites it in the viewer's zone. */
function time(at: number): string {
  const d = new Date(at);
  const text = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")} UTC`;
  return `<time datetime="${isoInstant(at)}" data-kt-local>${e(text)}</time>`;
}

function result(outcome: Outcome | undefined): string {
  let out = '<div id="kt-install-result" class="kt-result-slot" aria-live="polite">';
  if (outcome) {
    out +=
      `<div class="kt-result kt-result--${outcome.installed ? "ok" : "error"}" role="${outcome.installed ? "status" : "alert"}">` +
      `<span class="kt-result__code">${e(outcome.code)}</span><p class="kt-result__message">${e(outcome.message)}</p></div>`;
  }
  return out + "</div>\n";
}

function capitalize(s: string): string {
  return s === "" ? s : s[0]?.toUpperCase() + s.slice(1);
}
