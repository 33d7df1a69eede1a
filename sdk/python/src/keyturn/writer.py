"""Writes a license file in the reference layout: exactly the signed table, so the output always
reads back to the same canonical bytes, with short lines a mail program has no reason to wrap."""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Any

from ._time import iso
from .canonical import _local_date_time, _local_time
from .license import KNOWN_KEY_ORDER, KNOWN_KEYS, POLICY_KEY_ORDER, SignedLicense

# The tables (limits, policy) come after the scalars and the unknown keys.
_SCALAR_ORDER = KNOWN_KEY_ORDER[: KNOWN_KEY_ORDER.index("limits")]
_SIGNATURE_LINE = 44
_INLINE_ARRAY_WIDTH = 72


def write_license(signed: SignedLicense) -> str:
    lic = signed.license
    table = signed.table
    out: list[str] = []
    out.append(
        f"# Keyturn license for {_one_line(lic.customer)}, valid from {iso(lic.not_before)} "
        f"until {iso(lic.expires_at)}.\n"
    )
    out.append("# Editing anything in [license] invalidates the signature.\n")
    out.append(f"format = {signed.format}\n\n")
    out.append("[license]\n")
    for key in _SCALAR_ORDER:
        if key in table:
            _key_value(out, key, table[key])
    for key in sorted(k for k in table if k not in KNOWN_KEYS):
        _key_value(out, key, table[key])
    for sub in ("limits", "overage_percent", "policy"):
        sub_table = table.get(sub)
        if isinstance(sub_table, dict):
            out.append(f"\n[license.{sub}]\n")
            rest = dict(sorted(sub_table.items()))
            for key in POLICY_KEY_ORDER:
                if key in rest:
                    _key_value(out, key, rest.pop(key))
            tables = {}
            for key, value in rest.items():
                if sub == "policy" and _is_array_of_tables(value):
                    tables[key] = value
                else:
                    _key_value(out, key, value)
            # A custom policy's reminders as [[license.policy.reminders]] sections: short lines.
            for key, items in tables.items():
                for item in items:
                    out.append(f"\n[[license.{sub}.{key}]]\n")
                    entry = dict(sorted(item.items()))
                    if "days_before" in entry:
                        _key_value(out, "days_before", entry.pop("days_before"))
                    for k, v in entry.items():
                        _key_value(out, k, v)
    sig = signed.signature
    out.append("\n[signature]\n")
    _key_value(out, "algorithm", sig.algorithm)
    _key_value(out, "key_id", sig.key_id)
    out.append('value = """\n')
    for i in range(0, len(sig.value), _SIGNATURE_LINE):
        out.append(sig.value[i : i + _SIGNATURE_LINE] + "\n")
    out.append('"""\n')
    return "".join(out)


def _is_array_of_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(i, dict) for i in value)


def _key_value(out: list[str], key: str, value: Any) -> None:
    if isinstance(value, list) and len(_inline(value)) > _INLINE_ARRAY_WIDTH:
        out.append(f"{key} = [\n")
        for item in value:
            out.append(f"  {_value(item)},\n")
        out.append("]\n")
    else:
        out.append(f"{key} = {_value(value)}\n")


def _value(value: Any) -> str:
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, _dt.datetime):
        return iso(value) if value.tzinfo is not None else _local_date_time(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, _dt.time):
        return _local_time(value)
    if isinstance(value, list):
        return _inline(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + " }"
    raise ValueError(f"not a license value: {value!r}")


def _inline(items: list[Any]) -> str:
    return "[" + ", ".join(_value(item) for item in items) + "]"


_QUOTES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _quote(s: str) -> str:
    chars = ['"']
    for c in s:
        if c in _QUOTES:
            chars.append(_QUOTES[c])
        elif c < "\x20" or c == "\x7f":
            chars.append("\\u%04X" % ord(c))
        else:
            chars.append(c)
    chars.append('"')
    return "".join(chars)


def _one_line(s: str) -> str:
    return re.sub(r"[\x00-\x1f\x7f]+", " ", s)
