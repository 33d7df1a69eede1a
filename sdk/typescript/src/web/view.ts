import type { ClientStanding } from "../client/standing.js";
import { evaluate } from "../lifecycle/engine.js";
import { Policy } from "../lifecycle/policy.js";
import type { Zone } from "../lifecycle/zone.js";
import type { License } from "../license/license.js";
import { isoInstant } from "../time.js";
import type { ResolvedSettings } from "./settings.js";

export interface RenewalDetails {
  readonly customer: string;
  /** The subscription id: the vendor's reference for this customer's contract. */
  readonly customer_reference: string;
  readonly license_id: string;
  readonly tier: string;
  readonly expires_at: string;
  readonly instance_domain: string;
}

export function renewalDetails(l: License | undefined): RenewalDetails {
  return l
    ? {
        customer: l.customer,
        customer_reference: l.subscriptionId,
        license_id: l.id,
        tier: l.tier,
        expires_at: isoInstant(l.expiresAt),
        instance_domain: l.instanceDomain ?? "",
      }
    : { customer: "", customer_reference: "", license_id: "", tier: "", expires_at: "", instance_domain: "" };
}

/** Percent-encoding as Java's URLEncoder with spaces as %20, which mail clients keep. */
function encode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

/** The vendor-configured renewal link, pre-filled with the license's details; e-mail first. */
export function renewalLink(settings: ResolvedSettings, d: RenewalDetails): string | undefined {
  if (settings.renewalEmail !== undefined) {
    const subject = d.customer === "" ? `License request: ${settings.productName}` : `Renewal request: ${d.customer} (${d.customer_reference})`;
    let body = d.customer === "" ? `Please send us a license for ${settings.productName}.\n` : `Please renew our license for ${settings.productName}.\n\n`;
    if (d.customer !== "") {
      const fields: [string, string][] = [
        ["Customer", d.customer],
        ["Customer reference", d.customer_reference],
        ["License", d.license_id],
        ["Tier", d.tier],
        ["Current expiry", d.expires_at],
      ];
      if (d.instance_domain !== "") fields.push(["Instance", d.instance_domain]);
      for (const [k, v] of fields) body += `${k}: ${v}\n`;
    }
    return `mailto:${settings.renewalEmail}?subject=${encode(subject)}&body=${encode(body)}`;
  }
  if (settings.renewalPortal !== undefined) {
    if (d.customer_reference === "") return settings.renewalPortal;
    const query = [
      `customer_reference=${encode(d.customer_reference)}`,
      `license_id=${encode(d.license_id)}`,
      `tier=${encode(d.tier)}`,
      `expires_at=${encode(d.expires_at)}`,
    ].join("&");
    return settings.renewalPortal + (settings.renewalPortal.includes("?") ? "&" : "?") + query;
  }
  return undefined;
}

/** How "Renew" works here: post `action` (kind `server`), or open `href` (`email`, `portal`). */
export interface RenewalView {
  readonly kind: "server" | "email" | "portal";
  readonly href: string | null;
  readonly action: string | null;
  /** A link to offer when the server cannot be reached. */
  readonly fallback_href: string | null;
  readonly details: RenewalDetails;
}

export function renewalView(s: ClientStanding, settings: ResolvedSettings, contextPath = ""): RenewalView | null {
  const details = renewalDetails(s.license);
  const href = renewalLink(settings, details);
  if (settings.renewalServer !== undefined && s.license) {
    return { kind: "server", href: null, action: `${contextPath}${settings.basePath}/renewal-request`, fallback_href: href ?? null, details };
  }
  if (href === undefined) return null;
  return { kind: settings.renewalEmail !== undefined ? "email" : "portal", href, action: null, fallback_href: null, details };
}

function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : isoInstant(ms);
}

/** The banner as the JSON and the banner script read it. */
export function bannerJson(s: ClientStanding, viewerZone: Zone | undefined) {
  const b = s.banner;
  return {
    level: b.level,
    dismissal: b.dismissal,
    display: b.display,
    text: bannerText(s, viewerZone),
    pill_text: b.pillText,
    hidden_until: iso(b.hiddenUntil),
    stage: b.stageId,
    dismissible: b.dismissal === "UNTIL_NEXT_STAGE" || b.dismissal === "FOR_24H" || b.dismissal === "TO_PILL",
  };
}

/** `GET /license/standing`: the Java module's `StandingView`, key for key. */
export function standingJson(s: ClientStanding, viewerZone: Zone | undefined, settings: ResolvedSettings, contextPath = "") {
  const l = s.license;
  return {
    product_name: settings.productName,
    vendor_name: settings.vendorName,
    mode: s.mode,
    phase: s.phase,
    stage: s.stageId,
    summary: s.summary,
    days_until_expiry: s.daysUntilExpiry,
    days_until_lock: s.daysUntilLock,
    expires_at: iso(s.expiresAt),
    locks_at: iso(s.locksAt),
    evaluated_at: isoInstant(s.evaluatedAt),
    flags: s.flags,
    notices: s.notices,
    banner: bannerJson(s, viewerZone),
    license: l
      ? { id: l.id, customer: l.customer, subscription_id: l.subscriptionId, tier: l.tier, expires_at: isoInstant(l.expiresAt) }
      : null,
    renewal: renewalView(s, settings, contextPath),
  };
}

/**
 * The banner text with the stage sentence's dates in the viewer's zone. The client puts its flag sentences before
 * the stage sentence; only that stage sentence is re-written.
 */
export function bannerText(s: ClientStanding, viewerZone: Zone | undefined): string {
  const text = s.banner.text;
  if (!viewerZone || !s.license || !s.lifecycle || s.flags.includes("REVOKED")) return text;
  const original = s.lifecycle.banner.text;
  if (original === "" || !text.endsWith(original)) return text;
  const localized = evaluate(s.license, s.evaluatedAt, Policy.forLicense(s.license.policy), viewerZone).banner.text;
  return text.slice(0, text.length - original.length) + localized;
}
