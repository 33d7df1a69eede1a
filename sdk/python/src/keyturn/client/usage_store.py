"""``usage.json``: the usage the product reports, with its time and each month's maxima, signed
with the state secret (``state.key``) like ``state.json``. The same file as the Java client writes,
so ``keyturn install`` of either language checks a downgrade against what the product recorded."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import hmac
import json
import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

from .._time import instant, iso
from .atomic import write_atomically
from .state import StateStatus, StateStore, _read_bounded, canonical_json

FILE = "usage.json"
VERSION = 1
MONTHS_KEPT = 36
#: How long after the product last reported an install trusts the record (the running product
#: rewrites it at least every HEARTBEAT, so older means it has not run for a day).
TRUSTED_FOR = _dt.timedelta(hours=24)
HEARTBEAT = _dt.timedelta(hours=1)
EPOCH = "1970-01-01T00:00:00Z"
_MAC_DOMAIN = b"keyturn-usage-v1\n"
_FIELDS = {"current", "last_report_sequence", "months", "recorded_at", "version"}
_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")


def _checked(usage: Any) -> dict[str, int]:
    if not isinstance(usage, Mapping):
        raise ValueError("usage must be a mapping of limit name to a whole number")
    out = {}
    for name, value in usage.items():
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise ValueError(f'a usage name must be 1 to 64 of A-Z a-z 0-9 _ -, was "{name}"')
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"usage of {name} must be 0 or more, was {value}")
        out[name] = value
    return dict(sorted(out.items()))


@dataclass(frozen=True)
class UsageRecord:
    version: int = VERSION
    recorded_at: str = EPOCH
    current: Mapping[str, int] = field(default_factory=dict)
    months: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    last_report_sequence: int = 0

    @property
    def has_usage(self) -> bool:
        return self.recorded_at != EPOCH

    @property
    def recorded_at_instant(self) -> _dt.datetime:
        return instant(self.recorded_at)

    def with_report(self, usage: Mapping[str, int], at: _dt.datetime) -> "UsageRecord":
        """The usage reported at ``at`` becomes current and raises the maxima of ``at``'s month
        (UTC); only the last MONTHS_KEPT months are kept."""
        reported = _checked(usage)
        at = at.replace(microsecond=0)
        month = at.astimezone(_dt.timezone.utc).strftime("%Y-%m")
        months = {k: dict(v) for k, v in self.months.items()}
        maxima = months.setdefault(month, {})
        for name, value in reported.items():
            maxima[name] = max(value, maxima.get(name, value))
        ordered = dict(sorted((k, dict(sorted(v.items()))) for k, v in months.items()))
        while len(ordered) > MONTHS_KEPT:
            ordered.pop(next(iter(ordered)))
        return dataclasses.replace(self, recorded_at=iso(at), current=reported, months=ordered)

    def to_json(self) -> dict[str, Any]:
        return {
            "current": dict(sorted(self.current.items())),
            "last_report_sequence": self.last_report_sequence,
            "months": {k: dict(sorted(v.items())) for k, v in sorted(self.months.items())},
            "recorded_at": self.recorded_at,
            "version": self.version,
        }

    @staticmethod
    def from_json(data: Any) -> "UsageRecord":
        """Strict, like the Java reader: unknown or mistyped fields are refused (ValueError)."""
        if not isinstance(data, dict) or set(data) - _FIELDS:
            raise ValueError("unexpected fields")
        version, seq, recorded = (
            data.get("version"),
            data.get("last_report_sequence", 0),
            data.get("recorded_at"),
        )
        if not isinstance(version, int) or not isinstance(seq, int) or seq < 0:
            raise ValueError("wrong types")
        if not isinstance(recorded, str):
            raise ValueError("recorded_at is not text")
        instant(recorded)
        months = data.get("months") or {}
        if not isinstance(months, dict) or not all(_MONTH.fullmatch(m) for m in months):
            raise ValueError("months has the wrong type")
        return UsageRecord(
            version,
            recorded,
            _checked(data.get("current") or {}),
            {m: _checked(v) for m, v in sorted(months.items())},
            seq,
        )


EMPTY = UsageRecord()


@dataclass(frozen=True)
class UsageLoaded:
    status: StateStatus
    record: Optional[UsageRecord]
    detail: str


def _mac(key: bytes, record: UsageRecord) -> bytes:
    return hmac.new(key, _MAC_DOMAIN + canonical_json(record.to_json()), hashlib.sha256).digest()


def load_usage(store: StateStore) -> UsageLoaded:
    """Reads and verifies ``usage.json``; creates nothing."""
    try:
        data = _read_bounded(store.dir / FILE)
    except FileNotFoundError:
        return UsageLoaded(StateStatus.FRESH, None, "no usage recorded yet")
    except OSError as e:
        return UsageLoaded(StateStatus.UNREADABLE, None, f"cannot read {FILE}: {e}")
    try:
        parsed = json.loads(data.decode("utf-8"))
        if not isinstance(parsed, dict) or set(parsed) - {"mac", "usage"}:
            raise ValueError("unexpected fields")
        raw, mac = parsed.get("usage"), parsed.get("mac")
        if raw is None or not isinstance(mac, str):
            raise ValueError("incomplete")
        record = UsageRecord.from_json(raw)
    except (ValueError, UnicodeDecodeError):
        return UsageLoaded(StateStatus.UNREADABLE, None, f"{FILE} is not a valid usage record")
    if record.version != VERSION:
        return UsageLoaded(StateStatus.UNREADABLE, None, f"{FILE} is incomplete")
    key = store._read_key()
    if key is None:
        return UsageLoaded(StateStatus.FORGED, None, "state.key is missing")
    try:
        actual = bytes.fromhex(mac)
    except ValueError:
        actual = b""
    if not hmac.compare_digest(_mac(key, record), actual):
        return UsageLoaded(
            StateStatus.FORGED,
            None,
            f"{FILE} does not carry a valid signature: it was edited or replaced",
        )
    return UsageLoaded(StateStatus.OK, record, "verified")


def write_usage(store: StateStore, record: UsageRecord) -> None:
    """Signs and writes the record (call holding the store's lock); OSError when the disk refuses."""
    key = store._key_for_writing()
    document = {"mac": _mac(key, record).hex(), "usage": record.to_json()}
    write_atomically(store.dir / FILE, canonical_json(document))


def recorded_usage_note(record: UsageRecord, now: _dt.datetime) -> str:
    """Where an install without a usage probe took its usage from, and whether it is too old."""
    if not record.has_usage:
        return ""
    at = record.recorded_at
    if now > record.recorded_at_instant + TRUSTED_FOR:
        hours = int(TRUSTED_FOR.total_seconds() // 3600)
        return (
            f" (usage as the product recorded it at {at}, more than {hours} hours ago, too old to "
            "trust: start the product so that it records its current usage, then install again)"
        )
    return f" (usage as the product recorded it at {at})"
