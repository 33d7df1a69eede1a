"""Starts Acme Notes (Django) in demo mode as its own process, on a free port and a fresh data
folder, exactly as ``manage.py serve --demo`` runs it for a person trying it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

import pytest

HERE = Path(__file__).resolve().parent.parent
REPO = HERE.parent.parent


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


class App:
    def __init__(self, url: str, process: subprocess.Popen) -> None:
        self.url = url.rstrip("/")
        self.process = process
        self.origin = self.url

    def request(
        self,
        method: str,
        path: str,
        data: Optional[bytes] = None,
        headers: Optional[dict] = None,
    ) -> Answer:
        request = urllib.request.Request(
            self.url + path, data=data, method=method, headers=headers or {}
        )
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=30) as r:
                return Answer(r.status, dict(r.headers), r.read())
        except urllib.error.HTTPError as e:
            return Answer(e.code, dict(e.headers), e.read())

    def get(self, path: str, accept: str = "application/json") -> Answer:
        return self.request("GET", path, headers={"Accept": accept})

    def post_form(self, path: str, fields: dict, accept: str = "application/json") -> Answer:
        return self.request(
            "POST",
            path,
            urllib.parse.urlencode(fields).encode(),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Accept": accept,
            },
        )

    def standing(self) -> dict:
        return self.get("/license/standing").json()

    def renewal(self, kind: str = "renewal") -> str:
        page = self.post_form("/demo/license", {"kind": kind}, accept="text/html").text
        import html
        import re

        return html.unescape(
            re.search(r'<textarea id="demo-license"[^>]*>(.*?)</textarea>', page, re.S).group(1)
        )


def start(tmp: Path, preset: str = "appliance") -> Iterator[App]:
    env = {
        **os.environ,
        "ACME_NOTES_DATA": str(tmp),
        "PYTHONDONTWRITEBYTECODE": "1",
        "TZ": "UTC",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            str(HERE / "manage.py"),
            "serve",
            "--demo",
            "--preset",
            preset,
            "--port",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if "http://" not in line:
        process.kill()
        raise AssertionError("the example did not start: " + line + process.stdout.read())
    url = line.split(" at ", 1)[1].split()[0]
    try:
        yield App(url, process)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    yield from start(tmp_path)


@pytest.fixture
def subscription_app(tmp_path: Path) -> Iterator[App]:
    yield from start(tmp_path, "subscription")
