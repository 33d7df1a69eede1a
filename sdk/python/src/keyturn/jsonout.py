"""JSON written byte for byte as the Java CLI writes it (Jackson's default pretty printer), so
scripts and diffs see the same document from either CLI."""

from __future__ import annotations

from typing import Any

_SHORT = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def pretty(value: Any) -> str:
    out: list[str] = []
    _write(out, value, 0)
    return "".join(out)


def _write(out: list[str], value: Any, level: int) -> None:
    if isinstance(value, dict):
        if not value:
            out.append("{ }")
            return
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            out.append("," if i else "")
            out.append("\n" + "  " * (level + 1) + _string(str(key)) + " : ")
            _write(out, item, level + 1)
        out.append("\n" + "  " * level + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[ ]")
            return
        out.append("[ ")
        for i, item in enumerate(value):
            out.append(", " if i else "")
            _write(out, item, level)
        out.append(" ]")
    elif value is None:
        out.append("null")
    elif isinstance(value, bool):
        out.append("true" if value else "false")
    elif isinstance(value, (int, float)):
        out.append(repr(value))
    else:
        out.append(_string(str(value)))


def _string(s: str) -> str:
    chars = ['"']
    for c in s:
        if c in _SHORT:
            chars.append(_SHORT[c])
        elif c < "\x20":
            chars.append("\\u%04X" % ord(c))
        else:
            chars.append(c)
    chars.append('"')
    return "".join(chars)
