"""The license text in an install request, however it was sent: the install form (pasted
``license`` and/or uploaded ``file``, multipart or url-encoded), JSON ``{"license": ...}``, or the
raw file as the body. An uploaded file wins over the text box."""

from __future__ import annotations

import json
import re
import urllib.parse
from dataclasses import dataclass
from typing import Optional

FIELD = "license"
FILE_FIELD = "file"
RETURN_FIELD = "return_to"

_BOUNDARY = re.compile(r'(?i)boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))')
_NAME = re.compile(r'(?i);\s*name="([^"]*)"')


@dataclass(frozen=True)
class Submission:
    text: str
    return_to: Optional[str] = None

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def submission(content_type: str, body: bytes) -> Optional[Submission]:
    """None when the body is multipart that does not parse."""
    kind = content_type.lower()
    if kind.startswith("multipart/form-data"):
        m = _BOUNDARY.search(content_type)
        parts = multipart(body, m.group(1) or m.group(2)) if m else None
        if parts is None:
            return None
        pasted = uploaded = ""
        return_to = None
        for name, content in parts:
            if name == FIELD:
                pasted = content
            elif name == FILE_FIELD:
                uploaded = content
            elif name == RETURN_FIELD:
                return_to = content
        return Submission(pasted if not uploaded.strip() else uploaded, return_to)
    if kind.startswith("application/x-www-form-urlencoded"):
        form = url_encoded(body.decode("ascii", errors="replace"))
        return Submission(form.get(FIELD, ""), form.get(RETURN_FIELD))
    if kind.startswith("application/json"):
        document = json_object(body)
        text = document.get(FIELD) if document else None
        return Submission(text if isinstance(text, str) else "")
    return Submission(body.decode("utf-8", errors="replace"))


def url_encoded(body: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in body.split("&"):
        if not pair:
            continue
        key, _, value = pair.partition("=")
        out.setdefault(
            urllib.parse.unquote_plus(key), urllib.parse.unquote_plus(value, errors="replace")
        )
    return out


def json_object(body: bytes) -> Optional[dict]:
    try:
        document = json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    return document if isinstance(document, dict) else None


def multipart(body: bytes, boundary: str) -> Optional[list[tuple[str, str]]]:
    """Just enough multipart/form-data (RFC 7578) for the install form: (name, text) per part,
    or None when the body is not well-formed for this boundary."""
    delimiter = b"--" + boundary.encode("latin-1")
    nxt = b"\r\n--" + boundary.encode("latin-1")
    at = body.find(delimiter)
    if at < 0:
        return None
    parts: list[tuple[str, str]] = []
    pos = at + len(delimiter)
    while True:
        if body.startswith(b"--", pos):
            return parts  # the closing delimiter
        if not body.startswith(b"\r\n", pos):
            return None
        headers_start = pos + 2
        headers_end = body.find(b"\r\n\r\n", headers_start)
        if headers_end < 0:
            return None
        headers = body[headers_start:headers_end].decode("utf-8", errors="replace")
        content_start = headers_end + 4
        content_end = body.find(nxt, content_start)
        if content_end < 0:
            return None
        disposition = _disposition(headers)
        if disposition is not None:
            name = _NAME.search(disposition)
            content = body[content_start:content_end].decode("utf-8", errors="replace")
            parts.append((name.group(1) if name else "", content))
        pos = content_end + len(nxt)


def _disposition(headers: str) -> Optional[str]:
    for line in headers.split("\r\n"):
        name, colon, value = line.partition(":")
        if colon and name.strip().lower() == "content-disposition":
            return value
    return None
