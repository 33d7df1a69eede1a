"""The web module without a framework: given a request, either answer it (a license route, or a
product route the mode refuses) or return None to let the product handle it. The same routes and
answers as the Java ``KeyturnWeb``, so the same banner.js works:

- ``GET /license/standing`` (``?tz=Europe/Paris`` writes banner dates in that zone)
- ``POST /license/install`` (form field ``license``, upload ``file``, JSON or the raw file)
- ``POST /license/banner/dismiss``, ``POST /license/renewal-request``
- ``GET /license/banner.js``, ``/license/banner.css``, ``GET /license/`` (the paste box)

The POST routes refuse requests from other sites. On product routes, READ_ONLY refuses changes
(403 problem+json or a page) and LOCKED answers every route with the lock screen (423).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any, Callable, Optional

from ..client import LicenseManager
from ..errors import ClientError
from ..lifecycle import Mode, zones
from . import forms, http, origin, views
from .assets import Assets
from .http import LICENSE_REJECTED_STATUS, WebErrorCode, WebRequest, WebResponse
from .pages import Outcome, Pages
from .settings import WebSettings

INSTALL_MAX_BODY_BYTES = 256 * 1024
RENEWAL_MAX_BODY_BYTES = 16 * 1024
_RENEWAL_LIMITS = {"contact_name": 200, "contact_email": 320, "message": 4000}


class KeyturnWeb:
    def __init__(self, licenses: LicenseManager, settings: Optional[WebSettings] = None) -> None:
        self.licenses = licenses
        self.settings = settings or WebSettings()
        self.pages = Pages(self.settings)
        self.assets = Assets()

    def handle(self, r: WebRequest) -> Optional[WebResponse]:
        """The answer, or None when the product should handle the request."""
        if self.settings.is_license_route(r.path):
            try:
                return self._route(r, r.path[len(self.settings.base_path) :])
            except http.PayloadTooLarge as e:
                return self._refuse(r, WebErrorCode.PAYLOAD_TOO_LARGE, str(e))
        return self._gate(r)

    # ------------------------------------------------------------------ the mode gate

    def _gate(self, r: WebRequest) -> Optional[WebResponse]:
        """Reads only the hot-path snapshot; the standing is fetched only to explain a refusal."""
        mode = self.licenses.mode()
        if mode is Mode.FULL or self.settings.is_exempt(r.path) or http.is_static_asset(r):
            return None
        if mode is Mode.READ_ONLY:
            return self._read_only(r) if r.method in http.CHANGING_METHODS else None
        return self._locked(r)

    def _read_only(self, r: WebRequest) -> WebResponse:
        s = self.licenses.standing()
        if http.wants_html(r):
            page = self.pages.read_only(
                s, r.context_path, origin.back_from_referer(r, self.settings)
            )
            return http.html(WebErrorCode.READ_ONLY.status, page)
        return http.error(
            WebErrorCode.READ_ONLY,
            s.banner.text + " This change was not saved; reading keeps working, and nothing stored"
            " was changed.",
        )

    def _locked(self, r: WebRequest) -> WebResponse:
        s = self.licenses.standing()
        if http.wants_html(r):
            return_to = (
                r.context_path + r.path
                if r.method in ("GET", "HEAD")
                else origin.back_from_referer(r, self.settings)
            )
            return http.html(
                WebErrorCode.LOCKED.status, self.pages.lock(s, r.context_path, return_to)
            )
        return http.error(
            WebErrorCode.LOCKED,
            f"{s.banner.text} Install a license at {r.context_path}{self.settings.base_path}/install.",
        )

    # ------------------------------------------------------------------ routes

    def _route(self, r: WebRequest, sub: str) -> WebResponse:
        if sub in ("", "/"):
            return self._get(
                r,
                lambda: http.html(
                    200, self.pages.license(self.licenses.standing(), r.context_path)
                ),
            )
        if sub == "/standing":
            return self._get(r, lambda: self._standing(r))
        if sub in ("/banner.js", "/banner.css"):
            return self._get(r, lambda: self._asset(sub[1:], r))
        if sub == "/install":
            return self._post(r, lambda: self._install(r))
        if sub == "/banner/dismiss":
            return self._post(r, lambda: self._dismiss(r))
        if sub == "/renewal-request":
            return self._post(r, lambda: self._renewal(r))
        return http.error(
            WebErrorCode.NOT_FOUND, f"no license route {self.settings.base_path}{sub}"
        )

    def _asset(self, name: str, r: WebRequest) -> WebResponse:
        served = self.assets.serve(name, r)
        assert served is not None, name  # only the two names the route matches
        return served

    def _standing(self, r: WebRequest) -> WebResponse:
        viewer = None
        tz = r.query("tz")
        if tz:
            try:
                viewer = zones.zone(tz)
            except ValueError:
                viewer = None  # the manager's zone, then
        view = views.standing_view(self.licenses.standing(), viewer, self.settings, r.context_path)
        return http.json_response(200, view)

    @staticmethod
    def _get(r: WebRequest, handler: Callable[[], WebResponse]) -> WebResponse:
        if r.method in ("GET", "HEAD"):
            return handler()
        return _method_not_allowed("GET")

    def _post(self, r: WebRequest, handler: Callable[[], WebResponse]) -> WebResponse:
        if r.method != "POST":
            return _method_not_allowed("POST")
        cross_site = origin.check(r, self.settings)
        if cross_site is not None:
            return self._refuse(r, WebErrorCode.CROSS_SITE_REQUEST, f"Refused: {cross_site}.")
        return handler()

    def _refuse(self, r: WebRequest, e: WebErrorCode, detail: str) -> WebResponse:
        if http.wants_html(r):
            return http.html(e.status, self.pages.message(e.title, detail, r.context_path))
        return http.error(e, detail)

    # ------------------------------------------------------------------ install

    def _install(self, r: WebRequest) -> WebResponse:
        sub = forms.submission(r.header("Content-Type") or "", r.body(INSTALL_MAX_BODY_BYTES))
        if sub is None:
            return http.error(WebErrorCode.BAD_REQUEST, "the multipart body could not be read")
        if sub.blank:
            return self._rejected(
                r,
                sub,
                "MALFORMED",
                "Nothing was pasted or uploaded: paste the whole license file, or choose it with"
                " the upload button.",
                (),
            )
        try:
            result = self.licenses.install(sub.text)
        except ClientError as e:
            if http.wants_html(r):
                return http.html(
                    WebErrorCode.INSTALL_FAILED.status,
                    self.pages.message(WebErrorCode.INSTALL_FAILED.title, str(e), r.context_path),
                )
            return http.error(WebErrorCode.INSTALL_FAILED, str(e))
        if not result.installed:
            return self._rejected(r, sub, result.code.value, result.message, result.excesses)
        if http.wants_html(r):
            if sub.return_to is not None:
                return http.see_other(origin.safe_local_path(sub.return_to, r.context_path))
            outcome = Outcome(True, result.code.value, result.message)
            return http.html(
                200, self.pages.license(self.licenses.standing(), r.context_path, outcome)
            )
        return http.json_response(
            200,
            {
                "code": result.code.value,
                "installed": True,
                "in_force": result.in_force,
                "message": result.message,
                "mode": self.licenses.mode().value,
                "license_id": result.license.id if result.license else None,
            },
        )

    def _rejected(
        self, r: WebRequest, sub: forms.Submission, code: str, message: str, excesses: Any
    ) -> WebResponse:
        if http.wants_html(r):
            s = self.licenses.standing()
            outcome = Outcome(False, code, message)
            if s.mode is Mode.LOCKED and sub.return_to is not None:
                page = self.pages.lock(
                    s,
                    r.context_path,
                    origin.safe_local_path(sub.return_to, r.context_path),
                    outcome,
                )
            else:
                page = self.pages.license(s, r.context_path, outcome)
            return http.html(LICENSE_REJECTED_STATUS, page)
        extras: dict[str, Any] = {"installed": False}
        if excesses:
            extras["excesses"] = [
                {"limit": e.limit, "usage": e.usage, "new_value": e.new_value} for e in excesses
            ]
        return http.problem(
            code, LICENSE_REJECTED_STATUS, "The license was not installed", message, extras
        )

    # ------------------------------------------------------------------ dismiss

    def _dismiss(self, r: WebRequest) -> WebResponse:
        try:
            result = self.licenses.dismiss()
        except ClientError as e:
            return http.error(WebErrorCode.DISMISS_FAILED, str(e))
        if http.wants_html(r):
            return http.see_other(origin.back_from_referer(r, self.settings))
        banner = views.banner_view(self.licenses.standing(), None)
        return http.json_response(200, {"outcome": result.outcome.value, "banner": banner})

    # ------------------------------------------------------------------ renewal request

    def _renewal(self, r: WebRequest) -> WebResponse:
        endpoint = self.settings.renewal_endpoint
        if endpoint is None:
            return http.error(
                WebErrorCode.RENEWAL_NOT_CONFIGURED,
                "this product sends no renewal requests to a server; use the renewal link instead",
            )
        body = r.body(RENEWAL_MAX_BODY_BYTES)
        content_type = (r.header("Content-Type") or "").lower()
        if content_type.startswith("application/x-www-form-urlencoded"):
            form = forms.url_encoded(body.decode("ascii", errors="replace"))
        else:
            document = forms.json_object(body) or {}
            form = {
                k: v for k, v in document.items() if k in _RENEWAL_LIMITS and isinstance(v, str)
            }
        fields = {k: form.get(k, "").strip() for k in _RENEWAL_LIMITS}
        if any(len(fields[k]) > limit for k, limit in _RENEWAL_LIMITS.items()):
            return http.error(
                WebErrorCode.BAD_REQUEST,
                "contact_name is limited to 200 characters, contact_email to 320, message to 4000",
            )
        s = self.licenses.standing()
        lic = s.license
        if lic is None:
            return http.error(
                WebErrorCode.BAD_REQUEST, "no license is installed, so there is nothing to renew"
            )
        token = self.licenses.license_token(lic.id)
        if token is None:
            return self._renewal_failed(
                f"The license in force was not found in {self.licenses.state_dir}."
            )
        d = views.details(lic)
        outgoing = {
            "license_id": lic.id,
            "subscription_id": lic.subscription_id,
            "customer": lic.customer,
            "tier": lic.tier,
            "expires_at": d["expires_at"],
            "instance_domain": lic.instance_domain,
            "instance_id": self.licenses.known_instance_id(),
            **{k: (v or None) for k, v in fields.items()},
        }
        accepted, reference, message = _send_renewal(
            endpoint, token, outgoing, self.settings.renewal_timeout.total_seconds()
        )
        if not accepted:
            return self._renewal_failed(message)
        return http.json_response(200, {"sent": True, "reference": reference, "message": message})

    def _renewal_failed(self, detail: str) -> WebResponse:
        href = views.renewal_link(self.settings, views.details(self.licenses.standing().license))
        return http.error(
            WebErrorCode.RENEWAL_FAILED, detail, {"fallback_href": href} if href else None
        )


def _method_not_allowed(allowed: str) -> WebResponse:
    p = http.error(WebErrorCode.METHOD_NOT_ALLOWED, f"this route answers {allowed} only")
    headers = {**p.headers, "Allow": "GET, HEAD" if allowed == "GET" else allowed}
    return WebResponse(p.status, p.content_type, headers, p.body)


def _send_renewal(
    endpoint: str, token: str, outgoing: dict[str, Any], timeout: float
) -> tuple[bool, Optional[str], str]:
    """Posts the renewal request from the product's server (the browser never holds the token)."""
    request = urllib.request.Request(
        endpoint,
        data=json.dumps(outgoing).encode("utf-8"),
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, data = response.status, response.read(64 * 1024)
    except urllib.error.HTTPError as e:
        status, data = e.code, e.read(64 * 1024)
    except (OSError, ValueError) as e:
        return False, None, f"The renewal server could not be reached ({type(e).__name__})."
    document = forms.json_object(data) or {}

    def text(name: str) -> Optional[str]:
        v = document.get(name)
        return v if isinstance(v, str) else None

    if status // 100 == 2:
        reference = text("id")
        sent = (
            "Your renewal request was sent"
            + (f" (reference {reference})" if reference else "")
            + "."
        )
        return True, reference, text("message") or sent
    reason = text("detail") or text("message")
    return (
        False,
        None,
        f"The renewal server did not accept the request (HTTP {status})"
        + (f": {reason}" if reason else "."),
    )
