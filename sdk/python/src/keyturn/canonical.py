"""The bytes a license signature covers: ``format`` and the parsed ``[license]`` table, never the
text (docs/license-format.md). Every type has its own prefix, so no two tables share a form."""

from __future__ import annotations

import datetime as _dt
import math
import struct
from typing import Any, Mapping

from ._time import iso

PREFIX = "keyturn-license-v1\n"
_ESCAPES = {'"': '\\"', "\\": "\\\\"}


def canonical_form(fmt: int, license_table: Mapping[str, Any]) -> bytes:
    out: list[str] = [PREFIX]
    _append(out, {"format": fmt, "license": license_table})
    return "".join(out).encode("utf-8")


def _append(out: list[str], value: Any) -> None:
    if isinstance(value, str):
        out.append(_quote(value))
    elif isinstance(value, bool):
        out.append("true" if value else "false")
    elif isinstance(value, int):
        out.append(str(value))
    elif isinstance(value, float):
        # Java's doubleToLongBits folds every NaN into one bit pattern.
        bits = (
            0x7FF8000000000000
            if math.isnan(value)
            else struct.unpack(">q", struct.pack(">d", value))[0]
        )
        out.append("f%016x" % (bits & 0xFFFFFFFFFFFFFFFF))
    elif isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            out.append("t" + iso(value))
        else:
            out.append("l" + _local_date_time(value))
    elif isinstance(value, _dt.date):
        out.append("d" + value.isoformat())
    elif isinstance(value, _dt.time):
        out.append("h" + _local_time(value))
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _append(out, item)
        out.append("]")
    elif isinstance(value, Mapping):
        out.append("{")
        for i, key in enumerate(sorted(value)):
            if i:
                out.append(",")
            out.append(key)
            out.append("=")
            _append(out, value[key])
        out.append("}")
    else:
        raise ValueError(f"not a license value: {value!r}")


def _quote(s: str) -> str:
    chars = ['"']
    for c in s:
        if c in _ESCAPES:
            chars.append(_ESCAPES[c])
        elif c < "\x20" or c == "\x7f":
            chars.append("\\u%04x" % ord(c))
        else:
            chars.append(c)
    chars.append('"')
    return "".join(chars)


def _local_time(t: _dt.time) -> str:
    """Java's ISO_LOCAL_TIME: seconds always, a fraction only as long as needed."""
    text = f"{t.hour:02d}:{t.minute:02d}:{t.second:02d}"
    if t.microsecond:
        text += "." + f"{t.microsecond:06d}".rstrip("0")
    return text


def _local_date_time(d: _dt.datetime) -> str:
    return d.date().isoformat() + "T" + _local_time(d.time())
