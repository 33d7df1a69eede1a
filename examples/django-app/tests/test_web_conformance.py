"""conformance/web/web_conformance.py against this example, fresh, once per kind of grace: the
Django middleware answers over HTTP as the Java filter does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, start

SCRIPT = REPO / "conformance" / "web" / "web_conformance.py"


@pytest.mark.parametrize("preset, grace", [("appliance", "full"), ("subscription", "read-only")])
def test_web_conformance(tmp_path: Path, preset: str, grace: str) -> None:
    if not SCRIPT.exists():
        message = f"{SCRIPT} is missing: merge the conformance suite (branch conformance-green)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    for app in start(tmp_path, preset):
        result = subprocess.run(
            [
                sys.executable,
                str(SCRIPT),
                app.url,
                "--asset",
                "/static/notes/app.css",
                "--read",
                "/api/notes",
                "--write",
                "/api/notes",
                "--expect-grace",
                grace,
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
        assert " 0 failed" in result.stdout
