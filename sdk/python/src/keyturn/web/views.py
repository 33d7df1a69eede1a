"""The standing as ``GET /license/standing`` answers it and the banner script reads it (snake_case
keys, ISO-8601 UTC instants, null when absent), and the pre-filled renewal links."""

from __future__ import annotations

import urllib.parse
from typing import Any, Optional

from .._time import iso
from ..client.standing import ClientStanding, StandingFlag
from ..license import License
from ..lifecycle import Dismissal, Policy, evaluate, zones
from .settings import WebSettings

_DISMISSIBLE = (Dismissal.UNTIL_NEXT_STAGE, Dismissal.FOR_24H, Dismissal.TO_PILL)


def _iso(at: Any) -> Optional[str]:
    return iso(at) if at is not None else None


def standing_view(
    s: ClientStanding, viewer_zone: Optional[zones.Zone], settings: WebSettings, context_path: str
) -> dict[str, Any]:
    b = s.banner
    lic = s.license
    return {
        "product_name": settings.product_name,
        "vendor_name": settings.vendor_name,
        "mode": s.mode.value,
        "phase": s.phase.value,
        "stage": s.stage_id,
        "summary": s.summary,
        "days_until_expiry": s.days_until_expiry,
        "days_until_lock": s.days_until_lock,
        "expires_at": _iso(s.expires_at),
        "locks_at": _iso(s.locks_at),
        "evaluated_at": iso(s.evaluated_at),
        "flags": [f.value for f in s.flags],
        "notices": list(s.notices),
        "banner": banner_view(s, viewer_zone),
        "license": None
        if lic is None
        else {
            "id": lic.id,
            "customer": lic.customer,
            "subscription_id": lic.subscription_id,
            "tier": lic.tier,
            "expires_at": iso(lic.expires_at),
        },
        "renewal": renewal(s, settings, context_path),
    }


def banner_view(s: ClientStanding, viewer_zone: Optional[zones.Zone]) -> dict[str, Any]:
    b = s.banner
    return {
        "level": b.level.value,
        "dismissal": b.dismissal.value,
        "display": b.display.value,
        "text": banner_text(s, viewer_zone),
        "pill_text": b.pill_text,
        "hidden_until": _iso(b.hidden_until),
        "stage": b.stage_id,
        "dismissible": b.dismissal in _DISMISSIBLE,
    }


def banner_text(s: ClientStanding, viewer_zone: Optional[zones.Zone]) -> str:
    """The banner text with the stage sentence's dates in the viewer's zone. Evaluation is a pure
    function, so re-running it at the standing's instant changes nothing but the wording; the
    client's flag sentences stay before it."""
    text = s.banner.text
    if (
        viewer_zone is None
        or s.license is None
        or s.lifecycle is None
        or s.has(StandingFlag.REVOKED)
    ):
        return text
    original = s.lifecycle.banner.text
    if not original or not text.endswith(original):
        return text
    lic = s.license
    localized = evaluate(
        lic, s.evaluated_at, Policy.for_license(lic.policy), viewer_zone
    ).banner.text
    return text[: len(text) - len(original)] + localized


def details(lic: Optional[License]) -> dict[str, str]:
    if lic is None:
        return dict.fromkeys(
            (
                "customer",
                "customer_reference",
                "license_id",
                "tier",
                "expires_at",
                "instance_domain",
            ),
            "",
        )
    return {
        "customer": lic.customer,
        "customer_reference": lic.subscription_id,
        "license_id": lic.id,
        "tier": lic.tier,
        "expires_at": iso(lic.expires_at),
        "instance_domain": lic.instance_domain or "",
    }


def renewal(
    s: ClientStanding, settings: WebSettings, context_path: str
) -> Optional[dict[str, Any]]:
    d = details(s.license)
    href = renewal_link(settings, d)
    if settings.renewal_server is not None and s.license is not None:
        return {
            "kind": "server",
            "href": None,
            "action": context_path + settings.base_path + "/renewal-request",
            "fallback_href": href,
            "details": d,
        }
    if href is None:
        return None
    kind = "email" if settings.renewal_email is not None else "portal"
    return {"kind": kind, "href": href, "action": None, "fallback_href": None, "details": d}


def renewal_link(settings: WebSettings, d: dict[str, str]) -> Optional[str]:
    """The e-mail or portal link, e-mail first; None when neither is configured."""
    if settings.renewal_email is not None:
        return _mailto(settings.renewal_email, settings.product_name, d)
    if settings.renewal_portal is not None:
        return _portal(settings.renewal_portal, d)
    return None


def _encode(s: str) -> str:
    # Spaces as %20, which mail clients keep (a '+' would stay a '+').
    return urllib.parse.quote(s, safe="*-._")


def _mailto(address: str, product: str, d: dict[str, str]) -> str:
    if d["customer"]:
        subject = f"Renewal request: {d['customer']} ({d['customer_reference']})"
        body = f"Please renew our license for {product}.\n\n"
        fields = [
            ("Customer", d["customer"]),
            ("Customer reference", d["customer_reference"]),
            ("License", d["license_id"]),
            ("Tier", d["tier"]),
            ("Current expiry", d["expires_at"]),
        ]
        if d["instance_domain"]:
            fields.append(("Instance", d["instance_domain"]))
        body += "".join(f"{k}: {v}\n" for k, v in fields)
    else:
        subject = f"License request: {product}"
        body = f"Please send us a license for {product}.\n"
    return f"mailto:{address}?subject={_encode(subject)}&body={_encode(body)}"


def _portal(portal: str, d: dict[str, str]) -> str:
    if not d["customer_reference"]:
        return portal
    query = "&".join(
        f"{k}={_encode(d[k])}" for k in ("customer_reference", "license_id", "tier", "expires_at")
    )
    return portal + ("&" if urllib.parse.urlsplit(portal).query else "?") + query
