"""The web module's requests and answers, framework-free; ``keyturn.django`` adapts them."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional, Protocol

HTML = "text/html; charset=utf-8"
JSON = "application/json"
PROBLEM_JSON = "application/problem+json"
CHANGING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LICENSE_REJECTED_STATUS = 422


class PayloadTooLarge(Exception):
    pass


class WebRequest(Protocol):
    method: str
    path: str  # below the application's context path
    context_path: str  # "" at the root

    def header(self, name: str) -> Optional[str]:
        ...

    def query(self, name: str) -> Optional[str]:
        ...

    def body(self, limit: int) -> bytes:
        """The body, at most ``limit`` bytes; raises PayloadTooLarge beyond."""


@dataclass(frozen=True)
class WebResponse:
    status: int
    content_type: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


# License answers change with every install and every tick of the clock: never cache them.
NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def html(status: int, page: str) -> WebResponse:
    return WebResponse(status, HTML, NO_STORE, page.encode("utf-8"))


def json_response(status: int, document: Any, content_type: str = JSON) -> WebResponse:
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return WebResponse(status, content_type, NO_STORE, body)


def see_other(location: str) -> WebResponse:
    return WebResponse(303, "text/plain; charset=utf-8", {**NO_STORE, "Location": location}, b"")


class WebErrorCode(enum.Enum):
    """The web module's own refusals with their HTTP status, mapped here and nowhere else. A
    rejected license answers with its VerificationCode instead (status 422)."""

    READ_ONLY = (403, "The product is read-only")
    LOCKED = (423, "The product is locked")
    CROSS_SITE_REQUEST = (403, "Cross-site request refused")
    PAYLOAD_TOO_LARGE = (413, "Request too large")
    BAD_REQUEST = (400, "Bad request")
    NOT_FOUND = (404, "Not found")
    METHOD_NOT_ALLOWED = (405, "Method not allowed")
    INSTALL_FAILED = (500, "The license could not be installed")
    DISMISS_FAILED = (500, "The notice could not be dismissed")
    RENEWAL_NOT_CONFIGURED = (404, "No renewal server is configured")
    RENEWAL_FAILED = (502, "The renewal request was not accepted")

    @property
    def status(self) -> int:
        return self.value[0]

    @property
    def title(self) -> str:
        return self.value[1]


def problem(
    code: str, status: int, title: str, detail: str, extras: Optional[Mapping[str, Any]] = None
) -> WebResponse:
    """An RFC 9457 problem with the stable ``code``."""
    body: dict[str, Any] = {"title": title, "status": status, "code": code, "detail": detail}
    body.update(extras or {})
    return json_response(status, body, PROBLEM_JSON)


def error(e: WebErrorCode, detail: str, extras: Optional[Mapping[str, Any]] = None) -> WebResponse:
    return problem(e.name, e.status, e.title, detail, extras)


# Styles, scripts, images and fonts: what a page needs to render, never the product's data.
STATIC_ASSET_EXTENSIONS = frozenset(
    {
        "css",
        "js",
        "mjs",
        "map",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "svg",
        "webp",
        "ico",
        "woff",
        "woff2",
        "ttf",
        "otf",
    }
)


def is_static_asset(r: WebRequest) -> bool:
    """A GET or HEAD of a static file a page needs (by extension), which no mode ever gates."""
    if r.method not in ("GET", "HEAD"):
        return False
    name = r.path[r.path.rfind("/") + 1 :]
    dot = name.rfind(".")
    return dot > 0 and name[dot + 1 :].lower() in STATIC_ASSET_EXTENSIONS


def wants_html(r: WebRequest) -> bool:
    """A browser navigating (Accept names text/html) gets pages; everything else gets JSON."""
    return "text/html" in (r.header("Accept") or "").lower()
