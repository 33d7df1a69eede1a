"""keyturn.django in-process, with Django's test client: routes, gate, template tag."""

from __future__ import annotations

import json

import pytest

django = pytest.importorskip("django")

from django.conf import settings  # noqa: E402

from keyturn.client import LicenseManager, SettableClock  # noqa: E402
from support import license_, utc  # noqa: E402

MANAGER: dict = {}


def manager() -> LicenseManager:
    return MANAGER["m"]


if not settings.configured:
    settings.configure(
        DEBUG=False,
        ALLOWED_HOSTS=["testserver"],
        SECRET_KEY="test",
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=["keyturn.django"],
        MIDDLEWARE=["keyturn.django.KeyturnMiddleware"],
        STATIC_URL="/static/",
        TEMPLATES=[
            {"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}
        ],
        KEYTURN={"MANAGER": f"{__name__}.manager", "PRODUCT_NAME": "Acme Notes"},
    )
    django.setup()

from django.http import HttpResponse  # noqa: E402
from django.template import Context, Template  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import path  # noqa: E402

urlpatterns = [
    path("notes", lambda r: HttpResponse("notes: " + r.method)),
    path("static/app.css", lambda r: HttpResponse("body{}", content_type="text/css")),
]


@pytest.fixture(autouse=True)
def licensed(tmp_path, ring, signing_key):
    clock = SettableClock(utc(2027, 6, 1))
    MANAGER["m"] = LicenseManager(tmp_path / "s", ring, clock=clock, zone="UTC", background=False)
    from keyturn.django import middleware

    middleware._web = None  # a fresh web module per test, on this test's manager
    yield clock
    MANAGER.clear()


def test_locked_routes_lock_screen_and_static_assets(signing_key, licensed) -> None:
    client = Client()
    assert client.get("/notes").status_code == 423
    assert client.get("/notes", HTTP_ACCEPT="text/html").content.count(b"kt-install-form") == 1
    assert client.get("/static/app.css").status_code == 200
    assert client.head("/license/banner.js").content == b""
    answer = client.post(
        "/license/install",
        data=json.dumps({"license": signing_key.sign(license_()).to_toml()}),
        content_type="application/json",
        HTTP_ORIGIN="http://testserver",
    )
    assert answer.status_code == 200, answer.content
    assert client.get("/notes").content == b"notes: GET"


def test_read_only_grace_refuses_posts(signing_key, licensed) -> None:
    manager().install(signing_key.sign(license_(preset="subscription")).to_toml())
    licensed.set(utc(2027, 11, 23))
    manager().refresh()
    client = Client()
    assert client.get("/notes").status_code == 200
    refused = client.post("/notes", data={"text": "x"})
    assert refused.status_code == 403 and refused["Content-Type"] == "application/problem+json"
    assert refused.json()["code"] == "READ_ONLY"


def test_the_banner_template_tag(licensed) -> None:
    html = Template("{% load keyturn %}{% keyturn_banner %}{% keyturn_pill %}").render(Context({}))
    assert html == '<script src="/license/banner.js" defer></script><span data-keyturn-pill></span>'
