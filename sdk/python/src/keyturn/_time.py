"""Instants and durations written exactly as Java writes them, so texts and JSON match the reference.

Instants are timezone-aware ``datetime`` objects in UTC throughout the package.
"""

from __future__ import annotations

import datetime as _dt
import re

UTC = _dt.timezone.utc
EPOCH = _dt.datetime(1970, 1, 1, tzinfo=UTC)
DAY = _dt.timedelta(days=1)


def instant(value: str) -> _dt.datetime:
    """Parses an ISO-8601 instant with an offset (``2027-11-22T00:00:00Z``); raises ValueError."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    parsed = _dt.datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        raise ValueError(f"not an instant with an offset: {value!r}")
    return parsed.astimezone(UTC)


def iso(at: _dt.datetime) -> str:
    """As Java's ``Instant.toString()``: seconds always, a fraction in groups of three digits."""
    at = at.astimezone(UTC)
    base = at.strftime("%Y-%m-%dT%H:%M:%S")
    micros = at.microsecond
    if micros == 0:
        return base + "Z"
    if micros % 1000 == 0:
        return f"{base}.{micros // 1000:03d}Z"
    return f"{base}.{micros:06d}Z"


def epoch_seconds(at: _dt.datetime) -> int:
    """Java's ``Instant.getEpochSecond()``: whole seconds, rounded towards the past."""
    delta = at - EPOCH
    return delta.days * 86400 + delta.seconds


_DURATION = re.compile(
    r"([-+]?)P(?:([-+]?[0-9]+)D)?"
    r"(T(?:([-+]?[0-9]+)H)?(?:([-+]?[0-9]+)M)?(?:([-+]?[0-9]+)(?:[.,]([0-9]{0,9}))?S)?)?",
    re.IGNORECASE,
)


def parse_duration(text: str) -> _dt.timedelta:
    """Java's ``Duration.parse`` (``PT12H``, ``P1D``, ``PT1M30S``); raises ValueError."""
    m = _DURATION.fullmatch(text)
    has_time_part = m is not None and any(m.group(i) for i in (4, 5, 6))
    if m is None or (m.group(3) and not has_time_part) or not (m.group(2) or has_time_part):
        raise ValueError(f"not an ISO-8601 duration: {text!r}")
    sign = -1 if m.group(1) == "-" else 1
    days = int(m.group(2) or 0)
    hours = int(m.group(4) or 0)
    minutes = int(m.group(5) or 0)
    seconds = int(m.group(6) or 0)
    fraction = (m.group(7) or "").ljust(6, "0")[:6]
    micros = int(fraction) if fraction else 0
    if m.group(6) and m.group(6).startswith("-"):
        micros = -micros
    return sign * _dt.timedelta(
        days=days, hours=hours, minutes=minutes, seconds=seconds, microseconds=micros
    )


def format_duration(d: _dt.timedelta) -> str:
    """Java's ``Duration.toString()`` for whole seconds: ``PT12H``, ``PT1H30M``, ``PT0S``."""
    total = int(d.total_seconds())
    if total == 0:
        return "PT0S"
    sign = "-" if total < 0 else ""
    total = abs(total)
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    out = "PT"
    if hours:
        out += f"{sign}{hours}H"
    if minutes:
        out += f"{sign}{minutes}M"
    if seconds:
        out += f"{sign}{seconds}S"
    return out
