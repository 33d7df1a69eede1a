"""The framework-free web module: routes, Origin checks, the mode gate, static paths never gated."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Optional

import pytest

from keyturn.client import LicenseManager, SettableClock
from keyturn.web import KeyturnWeb, PayloadTooLarge, WebSettings
from support import license_, utc

ORIGIN = {"Host": "127.0.0.1:8000", "Origin": "http://127.0.0.1:8000"}


@dataclass
class Request:
    method: str
    path: str
    headers: dict = field(default_factory=dict)
    data: bytes = b""
    params: dict = field(default_factory=dict)
    context_path: str = ""

    def header(self, name: str) -> Optional[str]:
        for k, v in self.headers.items():
            if k.lower() == name.lower():
                return v
        return None

    def query(self, name: str) -> Optional[str]:
        return self.params.get(name)

    def body(self, limit: int) -> bytes:
        if len(self.data) > limit:
            raise PayloadTooLarge(f"the request body is larger than {limit} bytes")
        return self.data


@pytest.fixture
def clock():
    return SettableClock(utc(2027, 6, 1))


@pytest.fixture
def web(tmp_path, ring, clock):
    m = LicenseManager(tmp_path / "s", ring, clock=clock, zone="UTC", background=False)
    settings = WebSettings(
        product_name="Acme Notes", exempt_paths=("/health",), static_paths=("/static",)
    )
    return KeyturnWeb(m, settings)


def install(web, text: str, headers=ORIGIN):
    return web.handle(
        Request(
            "POST",
            "/license/install",
            {**headers, "Content-Type": "application/json"},
            json.dumps({"license": text}).encode(),
        )
    )


def test_locked_product_routes_answer_423_but_static_assets_pass(web) -> None:
    locked = web.handle(Request("GET", "/notes", {"Accept": "application/json"}))
    assert locked.status == 423 and locked.content_type == "application/problem+json"
    assert json.loads(locked.body)["code"] == "LOCKED"
    page = web.handle(Request("GET", "/notes", {"Accept": "text/html"}))
    assert page.status == 423 and 'data-keyturn-page="lock"' in page.text
    assert web.handle(Request("GET", "/static/app.css")) is None
    assert web.handle(Request("GET", "/health")) is None
    assert web.handle(Request("GET", "/staticx")) is not None
    # Whatever its folder, a page's style, script, image or font is never gated (issue 20).
    assert web.handle(Request("GET", "/assets/logo.SVG")) is None
    assert web.handle(Request("POST", "/assets/logo.svg")) is not None
    assert web.handle(Request("GET", "/notes.json")) is not None


def test_install_needs_a_same_origin_post(web, signing_key) -> None:
    text = signing_key.sign(license_()).to_toml()
    refused = install(web, text, headers={"Host": "127.0.0.1:8000"})
    assert refused.status == 403 and json.loads(refused.body)["code"] == "CROSS_SITE_REQUEST"
    cross = install(web, text, headers={"Host": "127.0.0.1:8000", "Origin": "http://evil.example"})
    assert cross.status == 403
    ok = install(web, text)
    assert ok.status == 200
    assert json.loads(ok.body) == {
        "code": "VALID",
        "installed": True,
        "in_force": True,
        "message": "installed license lic-0001 for Acme Corp, valid until 2027-11-22T00:00:00Z",
        "mode": "FULL",
        "license_id": "lic-0001",
    }
    assert web.handle(Request("GET", "/notes")) is None


def test_a_rejected_license_is_422_with_its_code(web, signing_key) -> None:
    text = signing_key.sign(license_()).to_toml().replace("Acme Corp", "Evil")
    answer = install(web, text)
    assert answer.status == 422
    body = json.loads(answer.body)
    assert (body["code"], body["installed"], body["title"]) == (
        "SIGNATURE_MISMATCH",
        False,
        "The license was not installed",
    )


def test_the_paste_box_form_and_multipart_upload(web, signing_key) -> None:
    text = signing_key.sign(license_()).to_toml()
    boundary = "XyZ"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="return_to"\r\n\r\n/notes\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="license"\r\n\r\n\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.license.toml"\r\n'
        f"Content-Type: text/plain\r\n\r\n{text}\r\n--{boundary}--\r\n"
    ).encode()
    headers = {
        **ORIGIN,
        "Accept": "text/html",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }
    answer = web.handle(Request("POST", "/license/install", headers, body))
    assert (answer.status, answer.headers["Location"]) == (303, "/notes")


def test_read_only_grace_refuses_changes_and_lets_reads_through(web, signing_key, clock) -> None:
    install(web, signing_key.sign(license_(preset="subscription")).to_toml())
    clock.set(utc(2027, 11, 23))
    web.licenses.refresh()
    assert web.handle(Request("GET", "/notes")) is None
    refused = web.handle(Request("POST", "/notes", {"Accept": "application/json"}))
    assert refused.status == 403
    body = json.loads(refused.body)
    assert body["code"] == "READ_ONLY"
    assert body["detail"].endswith(
        "This change was not saved; reading keeps working, and nothing stored was changed."
    )


def test_standing_dismiss_and_assets(web, signing_key, clock) -> None:
    install(web, signing_key.sign(license_()).to_toml())
    clock.set(utc(2027, 10, 24))
    standing = json.loads(
        web.handle(Request("GET", "/license/standing", params={"tz": "Europe/Paris"})).body
    )
    assert standing["stage"] == "D-30" and standing["banner"]["dismissible"]
    assert "22 Nov 2027, 01:00 CET" in standing["banner"]["text"]
    dismissed = json.loads(
        web.handle(Request("POST", "/license/banner/dismiss", dict(ORIGIN))).body
    )
    assert (dismissed["outcome"], dismissed["banner"]["display"]) == ("HIDDEN", "HIDDEN")
    js = web.handle(Request("GET", "/license/banner.js"))
    assert js.status == 200 and js.content_type.startswith("text/javascript")
    again = web.handle(Request("GET", "/license/banner.js", {"If-None-Match": js.headers["ETag"]}))
    assert again.status == 304
    assert web.handle(Request("POST", "/license/standing", dict(ORIGIN))).status == 405
    assert web.handle(Request("GET", "/license/nope")).status == 404
    renewal = web.handle(Request("POST", "/license/renewal-request", dict(ORIGIN)))
    assert json.loads(renewal.body)["code"] == "RENEWAL_NOT_CONFIGURED"


def test_too_large_bodies_are_refused(web) -> None:
    answer = web.handle(Request("POST", "/license/install", dict(ORIGIN), b"x" * (300 * 1024)))
    assert answer.status == 413 and json.loads(answer.body)["code"] == "PAYLOAD_TOO_LARGE"


def test_banner_assets_are_the_one_source() -> None:
    """The package ships copies of keyturn-client-web's banner.js/css: they must not drift."""
    from support import REPO
    from keyturn.web.assets import load

    source = REPO / "keyturn-client-web/src/main/resources/dev/keyturn/client/web"
    for name in ("banner.js", "banner.css"):
        assert load(name).data == (source / name).read_bytes(), (
            f"sdk/python/src/keyturn/web/assets/{name} differs from its source; copy it again: "
            f"cp {source / name} sdk/python/src/keyturn/web/assets/"
        )


def test_a_renewal_request_goes_to_the_server_with_the_license_token(
    tmp_path, ring, signing_key, clock
) -> None:
    from test_checkin import Server

    answers = iter([(201, {"id": "rr_42"}), (409, {"detail": "a request is already open"})])
    server = Server(lambda request: next(answers))
    try:
        m = LicenseManager(tmp_path / "r", ring, clock=clock, zone="UTC", background=False)
        signed = signing_key.sign(license_())
        m.install(signed.to_toml())
        settings = WebSettings(renewal_server=server.url, renewal_email="renewals@acme.example")
        web = KeyturnWeb(m, settings)
        body = json.dumps({"contact_name": "Ada", "message": "Please renew"}).encode()
        headers = {**ORIGIN, "Content-Type": "application/json"}
        sent = web.handle(Request("POST", "/license/renewal-request", headers, body))
        assert sent.status == 200
        assert json.loads(sent.body) == {
            "sent": True,
            "reference": "rr_42",
            "message": "Your renewal request was sent (reference rr_42).",
        }
        request = server.requests[0]
        assert request["path"] == "/api/v1/renewal-requests"
        assert request["authorization"] == "Bearer " + signed.check_in_token()
        assert (request["body"]["license_id"], request["body"]["contact_name"]) == (
            "lic-0001",
            "Ada",
        )
        refused = web.handle(Request("POST", "/license/renewal-request", headers, body))
        problem = json.loads(refused.body)
        assert (refused.status, problem["code"]) == (502, "RENEWAL_FAILED")
        assert problem["detail"] == (
            "The renewal server did not accept the request (HTTP 409): a request is already open"
        )
        assert problem["fallback_href"].startswith(
            "mailto:renewals@acme.example?subject=Renewal%20request"
        )
    finally:
        server.close()
