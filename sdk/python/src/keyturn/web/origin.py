"""The cross-site request guard for the license routes that change something: the request must say
where it comes from (Origin, else Referer), and that must be this server's own host or an allowed
origin. Also where "back" safely is."""

from __future__ import annotations

import urllib.parse
from typing import Optional

from .http import WebRequest
from .settings import WebSettings


def check(r: WebRequest, settings: WebSettings) -> Optional[str]:
    """None when allowed, else why not."""
    host_header = r.header("Host")
    host = _normalize_host(host_header) if host_header is not None else None
    origin = r.header("Origin")
    referer = r.header("Referer")
    if origin is not None:
        claimed = origin.strip()
    elif referer is not None:
        claimed = origin_of(referer) or ""
    else:
        return (
            "the request has neither an Origin nor a Referer header, so it cannot be told apart "
            "from a forged cross-site request; send 'Origin: <this server's scheme://host:port>'"
        )
    authority = _authority_of(claimed)
    if authority is not None and host is not None and authority == host:
        return None
    normalized = claimed.lower()
    if any(allowed.lower() == normalized for allowed in settings.allowed_origins):
        return None
    source = f"'{claimed}'" if claimed else "an unknown origin"
    return (
        f"the request comes from {source}, not from this server ({host or 'no Host header'}); "
        "pages of other sites may not change the license"
    )


def origin_of(url: str) -> Optional[str]:
    """``scheme://host[:port]`` of a URL, None when it is not one."""
    try:
        u = urllib.parse.urlsplit(url.strip())
        if not u.scheme or not u.hostname:
            return None
        return f"{u.scheme}://{u.hostname}" + (f":{u.port}" if u.port is not None else "")
    except ValueError:
        return None


def _authority_of(origin: str) -> Optional[str]:
    try:
        u = urllib.parse.urlsplit(origin)
        scheme = u.scheme.lower()
        if scheme not in ("http", "https") or not u.hostname:
            return None
        port = u.port
    except ValueError:
        return None
    default = (
        port is None or (scheme == "http" and port == 80) or (scheme == "https" and port == 443)
    )
    return u.hostname.lower() + ("" if default else f":{port}")


def _normalize_host(host: str) -> str:
    """Lower case, without :80 or :443 (the header does not say which scheme)."""
    h = host.strip().lower()
    for suffix in (":80", ":443"):
        if h.endswith(suffix):
            return h[: -len(suffix)]
    return h


def is_local_path(p: str) -> bool:
    return (
        p.startswith("/")
        and not p.startswith("//")
        and len(p) <= 2048
        and not any(c == "\\" or c < "\x20" or c == "\x7f" for c in p)
    )


def safe_local_path(candidate: Optional[str], context_path: str) -> str:
    """``candidate`` when it is a plain path on this server (never //other or a scheme)."""
    return candidate if candidate is not None and is_local_path(candidate) else context_path + "/"


def back_from_referer(r: WebRequest, settings: WebSettings) -> str:
    """The same-origin Referer's path and query, or the application's root."""
    referer = r.header("Referer")
    if referer is None or check(r, settings) is not None:
        return r.context_path + "/"
    try:
        u = urllib.parse.urlsplit(referer.strip())
    except ValueError:
        return r.context_path + "/"
    back = (u.path or "/") + (f"?{u.query}" if u.query else "")
    return back if is_local_path(back) else r.context_path + "/"
