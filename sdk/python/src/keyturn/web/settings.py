"""How the web module fits into the product: where its routes live, which product paths it never
gates, and where the "Renew" button leads. Validated on construction."""

from __future__ import annotations

import datetime as _dt
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Optional

from ..errors import KeyturnError

DEFAULT_BASE_PATH = "/license"
DEFAULT_PRODUCT_NAME = "This product"
DEFAULT_VENDOR_NAME = "your vendor"
RENEWAL_REQUESTS_PATH = "/api/v1/renewal-requests"

_SIMPLE_PATH = re.compile(r"(/[A-Za-z0-9._~-]+)+")
_EMAIL = re.compile(r"[^\s@?&#/]+@[^\s@?&#/]+")
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")


class WebError(KeyturnError):
    """Web settings that do not hold."""


@dataclass(frozen=True)
class WebSettings:
    """``exempt_paths``: product paths (and everything below) the mode gate never touches, e.g. a
    health check. ``static_paths``: where the product's static assets live; they are never gated
    either, so a locked product's pages keep their styling. ``allowed_origins``: origins besides
    the request's own host allowed to post to the license routes (behind a proxy that rewrites
    Host)."""

    base_path: str = DEFAULT_BASE_PATH
    product_name: str = DEFAULT_PRODUCT_NAME
    vendor_name: str = DEFAULT_VENDOR_NAME
    exempt_paths: tuple[str, ...] = ()
    static_paths: tuple[str, ...] = ()
    allowed_origins: tuple[str, ...] = ()
    renewal_email: Optional[str] = None
    renewal_portal: Optional[str] = None
    renewal_server: Optional[str] = None
    renewal_timeout: _dt.timedelta = field(default=_dt.timedelta(seconds=10))

    def __post_init__(self) -> None:
        if not _SIMPLE_PATH.fullmatch(self.base_path):
            raise WebError(
                "base_path must be a path like /license (letters, digits, '.', '_', '~', '-' "
                f"segments, no trailing slash), was '{self.base_path}'"
            )
        if not self.product_name.strip() or not self.vendor_name.strip():
            raise WebError("product_name and vendor_name must not be blank")
        for p in (*self.exempt_paths, *self.static_paths):
            if not _SIMPLE_PATH.fullmatch(p):
                raise WebError(
                    f"exempt paths must look like /health (no trailing slash, no wildcards), was '{p}'"
                )
            if self.is_license_route(p):
                raise WebError(
                    f"exempt path '{p}' lies under base_path {self.base_path}, which is never gated"
                )
        for o in self.allowed_origins:
            if not _ORIGIN.fullmatch(o):
                raise WebError(
                    f"allowed origins look like https://host or https://host:8443, was '{o}'"
                )
        if self.renewal_email is not None and not _EMAIL.fullmatch(self.renewal_email):
            raise WebError(f"renewal_email must be a plain address, was '{self.renewal_email}'")
        if self.renewal_portal is not None:
            _require_http("renewal_portal", self.renewal_portal)
        if self.renewal_server is not None:
            _require_http("renewal_server", self.renewal_server)
            u = urllib.parse.urlsplit(self.renewal_server)
            if u.query or u.fragment:
                raise WebError(
                    f"renewal_server must be a base address without query, was '{self.renewal_server}'"
                )
        if not _dt.timedelta(milliseconds=100) <= self.renewal_timeout <= _dt.timedelta(minutes=1):
            raise WebError(
                f"renewal_timeout must be between 100 ms and 1 min, was {self.renewal_timeout}"
            )

    def is_license_route(self, path: str) -> bool:
        return path == self.base_path or path.startswith(self.base_path + "/")

    def is_exempt(self, path: str) -> bool:
        return any(
            path == prefix or path.startswith(prefix + "/")
            for prefix in (*self.exempt_paths, *self.static_paths)
        )

    @property
    def renewal_endpoint(self) -> Optional[str]:
        if self.renewal_server is None:
            return None
        return self.renewal_server.rstrip("/") + RENEWAL_REQUESTS_PATH


def _require_http(name: str, value: str) -> None:
    u = urllib.parse.urlsplit(value)
    if u.scheme.lower() not in ("http", "https") or not u.hostname:
        raise WebError(f"{name} must be an http(s) address with a host, was '{value}'")
