"""conformance/vectors/web.json and banner-assets.json: the routes, the refusal codes with status
and title, and the banner component served byte for byte as the Java module serves it."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from keyturn.client import LicenseManager, SettableClock
from keyturn.web import KeyturnWeb, WebErrorCode
from keyturn.web.assets import load
from keyturn.web.http import LICENSE_REJECTED_STATUS
from support import CONFORMANCE, REPO, utc, vectors
from test_web import ORIGIN, Request

WEB = (
    vectors("web") if (CONFORMANCE / "vectors/web.json").exists() else {"routes": [], "errors": []}
)
ASSETS = (
    vectors("banner-assets")
    if (CONFORMANCE / "vectors/banner-assets.json").exists()
    else {"files": []}
)


@pytest.fixture
def web(tmp_path, ring) -> KeyturnWeb:
    m = LicenseManager(tmp_path / "s", ring, clock=SettableClock(utc(2027, 6, 1)), background=False)
    return KeyturnWeb(m)


@pytest.mark.parametrize("error", WEB["errors"], ids=lambda e: e["code"])
def test_error_code(error: dict[str, Any]) -> None:
    e = WebErrorCode[error["code"]]
    assert (e.status, e.title) == (error["status"], error["title"])


def test_every_error_code_is_in_the_vectors() -> None:
    assert {e.name for e in WebErrorCode} == {e["code"] for e in vectors("web")["errors"]}


def test_a_rejected_license() -> None:
    rejected = vectors("web")["license_rejected"]
    assert (LICENSE_REJECTED_STATUS, "The license was not installed") == (
        rejected["status"],
        rejected["title"],
    )


@pytest.mark.parametrize("route", WEB["routes"], ids=lambda r: f"{r['method']} {r['path']}")
def test_route(route: dict[str, Any], web: KeyturnWeb) -> None:
    path = vectors("web")["base_path"] + route["path"]
    answer = web.handle(Request(route["method"], path, dict(ORIGIN)))
    assert answer is not None and answer.status != 405
    if answer.status == 404:  # the route is there; no renewal server is configured here
        assert json.loads(answer.body)["code"] == "RENEWAL_NOT_CONFIGURED"
    wrong = "POST" if route["method"] == "GET" else "GET"
    assert web.handle(Request(wrong, path, dict(ORIGIN))).status == 405


@pytest.mark.parametrize("asset", ASSETS["files"], ids=lambda a: a["name"])
def test_banner_asset(asset: dict[str, Any], web: KeyturnWeb) -> None:
    source = (REPO / asset["source"]).read_bytes()
    assert (
        hashlib.sha256(source).hexdigest() == asset["sha256"]
    ), "the vectors are older than the source"
    served = web.handle(Request("GET", asset["route"]))
    assert hashlib.sha256(served.body).hexdigest() == asset["sha256"]
    assert len(served.body) == asset["bytes"] == len(load(asset["name"]).data)
    assert served.content_type == asset["content_type"]
    assert served.headers["ETag"] == asset["etag"]
    assert served.headers["Cache-Control"] == asset["cache_control"]
