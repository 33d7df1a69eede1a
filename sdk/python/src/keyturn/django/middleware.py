"""The Django adapter of ``keyturn.web.KeyturnWeb``."""

from __future__ import annotations

import threading
from typing import Any, Callable, Optional

from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string

from ..client import LicenseManager
from ..web import KeyturnWeb, PayloadTooLarge, WebError, WebResponse, WebSettings

_lock = threading.Lock()
_web: Optional[KeyturnWeb] = None
_configured_from: Optional[int] = None


def _config() -> dict[str, Any]:
    return dict(getattr(django_settings, "KEYTURN", {}) or {})


def get_manager() -> LicenseManager:
    """The LicenseManager named by ``KEYTURN["MANAGER"]``: a LicenseManager, a callable returning
    one, or a dotted path to either. Resolved once."""
    return get_web().licenses


def get_web() -> KeyturnWeb:
    global _web, _configured_from
    config = _config()
    with _lock:
        if _web is None or _configured_from != id(getattr(django_settings, "KEYTURN", None)):
            _web = KeyturnWeb(_resolve_manager(config.get("MANAGER")), _web_settings(config))
            _configured_from = id(getattr(django_settings, "KEYTURN", None))
        return _web


def _resolve_manager(value: Any) -> LicenseManager:
    if isinstance(value, str):
        value = import_string(value)
    if callable(value) and not isinstance(value, LicenseManager):
        value = value()
    if not isinstance(value, LicenseManager):
        raise ImproperlyConfigured(
            'KEYTURN["MANAGER"] must name a keyturn LicenseManager (or a callable returning one), '
            f"was {value!r}"
        )
    return value


def _prefix(url: Optional[str]) -> Optional[str]:
    """``/static/`` → ``/static``; absolute URLs (a CDN) are not ours to gate."""
    if not url or not url.startswith("/") or url.startswith("//"):
        return None
    path = url.rstrip("/")
    return path or None


def _web_settings(config: dict[str, Any]) -> WebSettings:
    static = tuple(
        p
        for p in (
            _prefix(getattr(django_settings, "STATIC_URL", None)),
            _prefix(getattr(django_settings, "MEDIA_URL", None)),
        )
        if p is not None
    )
    try:
        return WebSettings(
            base_path=config.get("BASE_PATH", "/license"),
            product_name=config.get("PRODUCT_NAME", "This product"),
            vendor_name=config.get("VENDOR_NAME", "your vendor"),
            exempt_paths=tuple(config.get("EXEMPT_PATHS", ())),
            static_paths=static,
            allowed_origins=tuple(config.get("ALLOWED_ORIGINS", ())),
            renewal_email=config.get("RENEWAL_EMAIL"),
            renewal_portal=config.get("RENEWAL_PORTAL"),
            renewal_server=config.get("RENEWAL_SERVER"),
        )
    except WebError as e:
        raise ImproperlyConfigured(f"KEYTURN: {e}") from None


class DjangoWebRequest:
    """A Django request as the web module reads it."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request
        self.method = request.method or "GET"
        self.path = request.path_info or "/"
        self.context_path = (request.META.get("SCRIPT_NAME") or "").rstrip("/")

    def header(self, name: str) -> Optional[str]:
        if name.lower() == "host":
            # What the client asked for; without a Host header (HTTP/1.0, test clients) the server's
            # own name, as Django's get_host() falls back to (without its ALLOWED_HOSTS check, which
            # the product's own views still make).
            meta = self._request.META
            if meta.get("HTTP_HOST"):
                return meta["HTTP_HOST"]
            server, port = meta.get("SERVER_NAME"), str(meta.get("SERVER_PORT", ""))
            if not server:
                return None
            return server if port in ("", "80", "443") else f"{server}:{port}"
        return self._request.headers.get(name)

    def query(self, name: str) -> Optional[str]:
        return self._request.GET.get(name)

    def body(self, limit: int) -> bytes:
        try:
            declared = int(self._request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            raise PayloadTooLarge(f"the request body is larger than {limit} bytes")
        data = self._request.read(limit + 1)
        if len(data) > limit:
            raise PayloadTooLarge(f"the request body is larger than {limit} bytes")
        return data


def to_django(answer: WebResponse, method: str) -> HttpResponse:
    body = b"" if answer.status == 304 or method == "HEAD" else answer.body
    response = HttpResponse(body, status=answer.status, content_type=answer.content_type)
    for name, value in answer.headers.items():
        response[name] = value
    return response


class KeyturnMiddleware:
    """Serves the license routes and enforces the mode on everything else; what it does not answer
    goes on to the product untouched. The decision reads only the manager's snapshot."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        web = get_web()
        answer = web.handle(DjangoWebRequest(request))
        if answer is None:
            return self.get_response(request)
        return to_django(answer, request.method or "GET")
