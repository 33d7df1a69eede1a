"""The standing as ``keyturn status`` prints it: a headline, then the facts behind it; and the JSON
documents of ``status --json`` and ``install --json``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Optional, TextIO

from ._time import iso
from .client.standing import BannerDisplay, ClientStanding, StandingFlag
from .client.state import KEY_FILE
from .license import License
from .lifecycle import Mode, zones

SEATS = "seats"


def headline(s: ClientStanding) -> str:
    if s.mode is Mode.FULL:
        return s.summary
    if s.mode is Mode.READ_ONLY:
        return s.summary + " (read-only)"
    return s.summary if s.summary.startswith("locked") else "locked: " + s.summary


def _when(at: Any, zone: zones.Zone) -> str:
    local = zone.local(at)
    return f"{local:%Y-%m-%d %H:%M} {zone.short_name(at)}"


def print_report(out: TextIO, s: ClientStanding, state_dir: Path, zone: zones.Zone) -> None:
    out.write(headline(s) + "\n")
    rows: list[tuple[str, str]] = []
    if s.license is not None:
        rows += [
            ("customer", s.license.customer),
            ("license", s.license.id),
            ("tier", s.license.tier),
            ("expires", _when(s.license.expires_at, zone)),
        ]
        if s.locks_at is not None:
            rows.append(("locks", _when(s.locks_at, zone)))
    else:
        rows += [("license", "none installed"), ("hint", _no_license_hint(state_dir))]
    rows.append(("mode", _mode_text(s.mode)))
    rows.append(("flags", ", ".join(f.value for f in s.flags) if s.flags else "none"))
    if s.has(StandingFlag.STATE_RESET) and _secret_unreadable(state_dir):
        rows.append(
            (
                "note",
                f"this user cannot read {KEY_FILE}, so the signed state could not be checked "
                "(hence STATE_RESET); run as the product's user for the full picture",
            )
        )
    if s.has(StandingFlag.CLOCK_ROLLBACK):
        rows.append(
            (
                "clock",
                f"{_when(s.clock_time, zone)}; licensing uses {_when(s.evaluated_at, zone)}, the "
                "latest time seen",
            )
        )
    rows.append(("banner", _banner_text(s, zone)))
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        out.write(f"  {label.ljust(width)}  {value}\n")


def _mode_text(mode: Mode) -> str:
    return {
        Mode.FULL: "FULL (the product works normally)",
        Mode.READ_ONLY: "READ_ONLY (data can be viewed, not changed)",
        Mode.LOCKED: "LOCKED (lock screen with a paste box; no data is touched)",
    }[mode]


def _banner_text(s: ClientStanding, zone: zones.Zone) -> str:
    b = s.banner
    if b.display is BannerDisplay.NONE:
        return "none"
    if b.display is BannerDisplay.HIDDEN:
        until = f" [dismissed until {_when(b.hidden_until, zone)}]" if b.hidden_until else ""
        return b.text + until
    if b.display is BannerDisplay.PILL:
        return f"{b.text} [collapsed to a pill: {b.pill_text}]"
    return b.text


def _no_license_hint(state_dir: Path) -> str:
    d = state_dir / "licenses"
    count = len(list(d.glob("*.license.toml"))) if d.is_dir() else 0
    if count:
        return (
            f"{count} license file(s) in {d} but none is signed by the trusted keys for this "
            "instance: check --trust and --instance-domain"
        )
    return f"install one with: keyturn install FILE --state-dir {state_dir} --trust KEYS"


def _secret_unreadable(state_dir: Path) -> bool:
    secret = state_dir / KEY_FILE
    return secret.exists() and not os.access(secret, os.R_OK)


def license_info(lic: License) -> dict[str, Any]:
    return {
        "id": lic.id,
        "subscription_id": lic.subscription_id,
        "customer": lic.customer,
        "instance_domain": lic.instance_domain,
        "tier": lic.tier,
        "seats": lic.seats,
        "features": list(lic.features),
        "limits": lic.sorted_limits(),
        "issued_at": iso(lic.issued_at),
        "not_before": iso(lic.not_before),
        "expires_at": iso(lic.expires_at),
        "policy": {
            "preset": lic.policy.preset,
            "grace_days": lic.policy.grace_days,
            "grace_mode": lic.policy.grace_mode.toml_name,
        },
    }


def _iso(at: Any) -> Optional[str]:
    return iso(at) if at is not None else None


def status_view(s: ClientStanding) -> dict[str, Any]:
    b = s.banner
    return {
        "summary": s.summary,
        "phase": s.phase.value,
        "mode": s.mode.value,
        "stage": s.stage_id or None,
        "days_until_expiry": s.days_until_expiry,
        "days_until_lock": s.days_until_lock,
        "expires_at": _iso(s.expires_at),
        "locks_at": _iso(s.locks_at),
        "flags": [f.value for f in s.flags],
        "notices": list(s.notices),
        "banner": {
            "level": b.level.value,
            "text": b.text,
            "display": b.display.value,
            "dismissal": b.dismissal.value,
            "hidden_until": _iso(b.hidden_until),
            "pill_text": b.pill_text or None,
        },
        "license": license_info(s.license) if s.license is not None else None,
        "evaluated_at": iso(s.evaluated_at),
        "clock_time": iso(s.clock_time),
        "next_change_at": _iso(s.next_change_at),
    }


def _limit(lic: License, name: str) -> Optional[int]:
    """None for unlimited; a name not set is unlimited, and so is seats = 0."""
    named = lic.limits.get(name)
    if named is not None:
        return named
    return lic.seats if name == SEATS and lic.seats > 0 else None


def lowered_limits(
    before: Optional[License], after: License
) -> list[tuple[str, Optional[int], int]]:
    if before is None:
        return []
    out = []
    for name in sorted({*before.limits, *after.limits, SEATS}):
        old, new = _limit(before, name), _limit(after, name)
        if new is not None and (old is None or new < old):
            out.append((name, old, new))
    return out
