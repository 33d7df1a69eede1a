"""Viewer time zones, named as the Java reference names them in banner texts.

Java writes the zone with the CLDR short name ("BRT", "CET", "UTC"); tzdata's abbreviations differ
("-03"), so the names come from ``zone_names.json``, generated from Java by
``sdk/python/tools/ZoneNames.java``.
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_OFFSET = re.compile(r"[+-]\d{2}:\d{2}(:\d{2})?")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Zone:
    """A time zone with the id Java knows it by (``Europe/Paris``, ``UTC``, ``+09:00``)."""

    id: str
    tz: _dt.tzinfo

    def short_name(self, at: _dt.datetime) -> str:
        if _OFFSET.fullmatch(self.id):
            return self.id
        offset = at.astimezone(self.tz).utcoffset() or _dt.timedelta(0)
        seconds = int(offset.total_seconds())
        name = _names().get(self.id, {}).get(str(seconds))
        if name is not None:
            return name
        if seconds == 0:
            return "GMT"
        sign = "+" if seconds > 0 else "-"
        hours, minutes = divmod(abs(seconds) // 60, 60)
        return f"GMT{sign}{hours:02d}:{minutes:02d}"

    def local(self, at: _dt.datetime) -> _dt.datetime:
        return at.astimezone(self.tz)

    def __str__(self) -> str:
        return self.id


UTC = Zone("UTC", _dt.timezone.utc)

ZoneLike = Union[Zone, str, _dt.tzinfo, None]


def zone(value: ZoneLike) -> Zone:
    """A Zone from an id (``Europe/Paris``, ``UTC``, ``Z``, ``+09:00``) or a tzinfo; None is UTC.

    Raises ValueError for an unknown id.
    """
    if value is None:
        return UTC
    if isinstance(value, Zone):
        return value
    if isinstance(value, ZoneInfo):
        return Zone(value.key, value)
    if isinstance(value, _dt.tzinfo):
        if value is _dt.timezone.utc:
            return UTC
        offset = value.utcoffset(None)
        if offset is None:
            raise ValueError(f"not a fixed-offset or IANA time zone: {value!r}")
        return _offset_zone(int(offset.total_seconds()))
    text = str(value).strip()
    if text in ("Z", "UTC", "Etc/UTC") or text == "":
        return UTC if text != "Etc/UTC" else Zone("Etc/UTC", ZoneInfo("Etc/UTC"))
    if _OFFSET.fullmatch(text):
        sign = 1 if text[0] == "+" else -1
        parts = [int(p) for p in text[1:].split(":")]
        seconds = parts[0] * 3600 + parts[1] * 60 + (parts[2] if len(parts) > 2 else 0)
        return _offset_zone(sign * seconds)
    try:
        return Zone(text, ZoneInfo(text))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone '{text}'") from None


def _offset_zone(seconds: int) -> Zone:
    if seconds == 0:
        return UTC  # Java's ZoneOffset.UTC, which banner texts print as "UTC"
    sign = "+" if seconds > 0 else "-"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    ident = f"{sign}{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")
    return Zone(ident, _dt.timezone(_dt.timedelta(seconds=seconds)))


@functools.lru_cache(maxsize=1)
def _names() -> dict[str, dict[str, str]]:
    text = resources.files(__package__).joinpath("zone_names.json").read_text("utf-8")
    return json.loads(text)


def date_time_text(at: _dt.datetime, z: Zone) -> str:
    """Java's ``d MMM uuuu, HH:mm z`` in English: ``22 Nov 2027, 01:00 CET``."""
    local = z.local(at)
    return (
        f"{local.day} {_MONTHS[local.month - 1]} {local.year:04d}, "
        f"{local.hour:02d}:{local.minute:02d} {z.short_name(at)}"
    )


def time_text(at: _dt.datetime, z: Zone) -> str:
    """Java's ``HH:mm z``."""
    local = z.local(at)
    return f"{local.hour:02d}:{local.minute:02d} {z.short_name(at)}"
