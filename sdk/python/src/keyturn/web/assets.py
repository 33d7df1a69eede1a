"""``banner.js`` and ``banner.css``: copies of the one source in keyturn-client-web (a test fails
when they differ), served with an ETag and ``no-cache``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from typing import Optional

from .http import WebRequest, WebResponse

TYPES = {"banner.js": "text/javascript; charset=utf-8", "banner.css": "text/css; charset=utf-8"}


@dataclass(frozen=True)
class Asset:
    content_type: str
    data: bytes
    etag: str


def load(name: str) -> Asset:
    data = resources.files(__package__).joinpath("assets", name).read_bytes()
    etag = '"' + hashlib.sha256(data).hexdigest()[:24] + '"'
    return Asset(TYPES[name], data, etag)


class Assets:
    def __init__(self) -> None:
        self._assets = {name: load(name) for name in TYPES}

    def serve(self, name: str, r: WebRequest) -> Optional[WebResponse]:
        a = self._assets.get(name)
        if a is None:
            return None
        headers = {"ETag": a.etag, "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
        if a.etag in (r.header("If-None-Match") or ""):
            return WebResponse(304, a.content_type, headers, b"")
        return WebResponse(200, a.content_type, headers, a.data)
