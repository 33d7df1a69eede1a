"""Acme Notes over HTTP, in demo mode: the license routes, the gate, and the data surviving a lock."""

from __future__ import annotations

import json

from conftest import App


def add_note(app: App, text: str) -> int:
    # Django's CSRF protection guards the product's own form: fetch the page for the token first.
    page = app.request("GET", "/", headers={"Accept": "text/html"})
    token = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    cookie = page.headers["Set-Cookie"].split(";", 1)[0]
    import urllib.parse

    answer = app.request(
        "POST",
        "/notes",
        urllib.parse.urlencode({"text": text, "csrfmiddlewaretoken": token}).encode(),
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Origin": app.origin,
            "Referer": app.url + "/",
        },
    )
    return answer.status


def test_lock_then_a_pasted_renewal_unlocks_with_the_notes_intact(app: App) -> None:
    assert app.standing()["mode"] == "FULL"
    assert add_note(app, "Call the plumber") == 302
    assert app.post_form("/demo/clock", {"to": "D-30"}).status == 303
    assert app.standing()["stage"] == "D-30"
    assert app.post_form("/demo/clock", {"to": "LOCK"}).status == 303
    locked = app.get("/", accept="text/html")
    assert locked.status == 423 and 'data-keyturn-page="lock"' in locked.text
    assert app.get("/").json()["code"] == "LOCKED"
    # The product's own stylesheet is never gated (issue 20): the lock screen keeps the look.
    css = app.get("/static/notes/app.css", accept="text/css")
    assert css.status == 200 and b"--accent" in css.body
    tampered = app.request(
        "POST",
        "/license/install",
        json.dumps({"license": app.renewal("tampered")}).encode(),
        {"Content-Type": "application/json", "Origin": app.origin},
    )
    assert tampered.status == 422 and tampered.json()["code"] == "SIGNATURE_MISMATCH"
    installed = app.request(
        "POST",
        "/license/install",
        json.dumps({"license": app.renewal()}).encode(),
        {"Content-Type": "application/json", "Origin": app.origin},
    )
    assert installed.status == 200 and installed.json()["mode"] == "FULL"
    page = app.get("/", accept="text/html")
    assert page.status == 200 and "Call the plumber" in page.text


def test_read_only_grace_refuses_a_new_note_but_shows_the_old_ones(subscription_app: App) -> None:
    app = subscription_app
    assert add_note(app, "Kept safe") == 302
    app.post_form("/demo/clock", {"to": "EXPIRY"})
    assert app.standing()["mode"] == "READ_ONLY"
    assert "Kept safe" in app.get("/", accept="text/html").text
    assert add_note(app, "Not saved") == 403
    assert "Not saved" not in app.get("/", accept="text/html").text


def test_install_from_another_site_is_refused(app: App) -> None:
    answer = app.request(
        "POST",
        "/license/install",
        json.dumps({"license": app.renewal()}).encode(),
        {"Content-Type": "application/json", "Origin": "http://evil.example"},
    )
    assert answer.status == 403 and answer.json()["code"] == "CROSS_SITE_REQUEST"
